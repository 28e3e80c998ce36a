"""A program's team run by its managers (issue #16): invitations by e-mail (a real SMTP
server), roles changed, people taken off, always one manager; coordinators and observers
read the team and change nothing."""

from email import message_from_bytes
from email.policy import default

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ascent.programs.models import Program, TeamMember
from tests.factories import UserFactory
from tests.portal.test_email_smtp import smtp_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program_and_manager():
    program = Program.objects.create(name="Ada Fellowship", slug="ada", organisation="Ada",
                                     translations={"es": {"Ada Fellowship": "Beca Ada"}})  # fmt: skip
    user = UserFactory(is_staff=True)
    TeamMember.objects.create(program=program, user=user, role="manager")
    client = Client()
    client.force_login(user)
    return program, client


def test_a_manager_invites_a_new_person_who_gets_an_account_and_an_email(
        program_and_manager, smtp_server, django_capture_on_commit_callbacks):  # noqa: F811  # fmt: skip
    program, client = program_and_manager
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/programs/{program.pk}/team/",
                               {"email": "New.Person@Example.org", "role": "coordinator"},
                               HTTP_ACCEPT_LANGUAGE="es")  # fmt: skip
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new.person@example.org")
    assert user.is_staff
    assert not user.has_usable_password()
    assert TeamMember.objects.get(program=program, user=user).role == "coordinator"
    recipients, raw = smtp_server.messages[0]
    assert recipients == ["new.person@example.org"]
    message = message_from_bytes(raw, policy=default)
    assert "Beca Ada" in message["Subject"]  # in the inviter's language, the program's words
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "/accounts/password/reset/" in text
    assert "coordinación" in text.lower() or "coordinador" in text.lower()
    # the new coordinator sees the program and cannot run its team
    helper = Client()
    helper.force_login(user)
    assert "Ada Fellowship" in helper.get("/staff/").content.decode()
    assert helper.post(f"/staff/programs/{program.pk}/team/",
                       {"email": "x@example.org", "role": "manager"}).status_code == 403  # fmt: skip


def test_roles_change_people_leave_and_a_program_keeps_a_manager(program_and_manager):
    program, client = program_and_manager
    manager = TeamMember.objects.get(program=program)
    response = client.post(f"/staff/programs/{program.pk}/team/",
                           {"action": "role", "member": manager.pk, "role": "observer"})  # fmt: skip
    assert response.status_code == 422
    assert "keeps at least one manager" in response.content.decode()
    client.post(
        f"/staff/programs/{program.pk}/team/", {"email": "b@example.org", "role": "observer"}
    )
    other = TeamMember.objects.get(program=program, user__email="b@example.org")
    client.post(f"/staff/programs/{program.pk}/team/",
                {"action": "role", "member": other.pk, "role": "manager"})  # fmt: skip
    assert TeamMember.objects.get(pk=other.pk).role == "manager"
    asked = client.post(
        f"/staff/programs/{program.pk}/team/", {"action": "remove", "member": other.pk}
    )
    assert "Yes, take them off" in asked.content.decode()
    assert TeamMember.objects.filter(pk=other.pk).exists()  # one click removes nobody
    client.post(f"/staff/programs/{program.pk}/team/",
                {"action": "remove", "member": other.pk, "confirm": "yes"})  # fmt: skip
    assert not TeamMember.objects.filter(pk=other.pk).exists()


def test_bad_invitations_are_named_and_kept(program_and_manager):
    program, client = program_and_manager
    response = client.post(
        f"/staff/programs/{program.pk}/team/", {"email": "not an address", "role": "manager"}
    )
    assert response.status_code == 422
    assert response.context["problems"] == {"email": "enter a valid e-mail address"}
    assert 'value="not an address"' in response.content.decode()
    response = client.post(
        f"/staff/programs/{program.pk}/team/", {"email": "c@example.org", "role": "king"}
    )
    assert "role" in response.context["problems"]
    manager_email = TeamMember.objects.get(program=program).user.email
    response = client.post(
        f"/staff/programs/{program.pk}/team/", {"email": manager_email, "role": "observer"}
    )
    assert response.context["problems"]["email"] == "already on this program's team"
    assert TeamMember.objects.filter(program=program).count() == 1
    stranger = Client()
    stranger.force_login(UserFactory(is_staff=True))
    assert stranger.get(f"/staff/programs/{program.pk}/team/").status_code == 404
