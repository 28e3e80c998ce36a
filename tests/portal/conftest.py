import pytest
from allauth.account.models import EmailAddress

from tests.factories import UserFactory


@pytest.fixture
def applicant(client):
    user = UserFactory(username="ada@example.org", first_name="Ada")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    return user
