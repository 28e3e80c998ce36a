import pytest
from allauth.account.models import EmailAddress

from tests.factories import UserFactory


@pytest.fixture
def applicant(client):
    user = UserFactory(username="ada@example.org", first_name="Ada")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    return user


@pytest.fixture
def draft(client, open_cycle, applicant):
    """The signed-in applicant's draft in the open cycle."""
    from ascent.applications.models import Application

    client.post(f"/cycles/{open_cycle.pk}/apply/")
    return Application.objects.get(cycle=open_cycle)


@pytest.fixture
def mailed(django_capture_on_commit_callbacks):
    """Run a call as its own transaction would: its e-mails go out when it commits."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run
