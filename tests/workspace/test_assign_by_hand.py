"""Assigning one application by hand (issue #16): the reviewer is picked by name with
their affinity and load beside it; a conflict, a full load, another program's reviewer
or a reviewer already on it is refused by name; the hand-made assignment survives a
re-run of the assignment."""

import pytest
from django.utils import timezone

from ascent.applications.models import ApplicationStatus
from ascent.common.models import AuditEvent
from ascent.programs.models import TeamMember
from ascent.review.domain.assignment import assign_stage
from ascent.review.models import Assignment, Conflict, Shortlisted
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CycleFactory,
    FormFieldFactory,
    ReviewerFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    cycle = CycleFactory()
    FormFieldFactory(cycle=cycle, key="statement", kind="long_text")
    stage = StageFactory(cycle=cycle, key="panel", reviews_per_application=1)
    application = ApplicationFactory(
        cycle=cycle, status=ApplicationStatus.IN_REVIEW, submitted_at=timezone.now(),
        applicant=ApplicantFactory(organisation="Lunar Lab", display_name="Ana Ruiz"),
        answers={"statement": "I map basaltic lava flows and the volcanoes of Mars."},
        receipt="HAND-1",
    )  # fmt: skip
    program = cycle.program
    reviewers = {
        "geologist": ReviewerFactory(program=program, display_name="Gea Lopez", load_limit=3,
                                     papers=["Volcanoes of Mars: basaltic lava flows mapped."]),
        "physician": ReviewerFactory(program=program, display_name="Pau Medina", load_limit=3,
                                     papers=["Bone loss of astronauts and exercise."]),
        "colleague": ReviewerFactory(program=program, display_name="Col Lega",
                                     organisation="lunar lab", papers=["Mars volcanoes."]),
        "friend": ReviewerFactory(program=program, display_name="Fri End"),
        "busy": ReviewerFactory(program=program, display_name="Bu Sy", load_limit=1),
    }  # fmt: skip
    Conflict.objects.create(reviewer=reviewers["friend"], applicant=application.applicant,
                            source="declared", reason="we share an office")  # fmt: skip
    other = ApplicationFactory(cycle=cycle, status=ApplicationStatus.IN_REVIEW,
                               submitted_at=timezone.now())  # fmt: skip
    Assignment.objects.create(reviewer=reviewers["busy"], application=other, stage=stage,
                              created_at=timezone.now())  # fmt: skip
    manager = UserFactory(username="manager@example.org", is_staff=True)
    TeamMember.objects.create(program=program, user=manager, role="manager")
    return stage, application, reviewers, manager


def test_the_page_lists_the_panel_by_fit_with_load_and_why_some_cannot(client, desk):
    _stage, application, reviewers, manager = desk
    client.force_login(manager)
    page = client.get(f"/staff/applications/{application.pk}/")
    assert f"/staff/applications/{application.pk}/assign/" in page.content.decode()
    response = client.get(f"/staff/applications/{application.pk}/assign/")
    assert response.status_code == 200
    body = response.content.decode()
    found = response.context["candidates"]
    assert found[0].reviewer == reviewers["geologist"]  # those who can take it, best first
    assert found[0].affinity > found[1].affinity
    assert not any(c.refusal for c in found[:2])
    assert all(c.refusal for c in found[2:])
    assert sorted(c.reviewer.display_name for c in found if c.refusal) == [
        "Bu Sy", "Col Lega", "Fri End"]  # fmt: skip
    assert "Fri End has a conflict with this applicant: Declared by the reviewer: we share an " \
           "office" in body  # fmt: skip
    assert "Col Lega has a conflict with this applicant: same organisation (lunar lab)" in body
    assert "Bu Sy has reached their load limit (1 of 1)" in body
    assert f"{found[0].affinity:.2f}" in body
    assert "0 of 3" in body


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("friend", "Fri End has a conflict with this applicant"),
        ("colleague", "Col Lega has a conflict with this applicant: same organisation"),
        ("busy", "Bu Sy has reached their load limit (1 of 1)"),
        ("nobody", "choose a reviewer of this program&#x27;s panel"),
        ("stranger", "choose a reviewer of this program&#x27;s panel"),
    ],
)
def test_a_refused_reviewer_is_named_and_nothing_is_written(client, desk, who, message):
    stage, application, reviewers, manager = desk
    stranger = ReviewerFactory(display_name="Out Sider")  # on another program's panel
    value = {"nobody": "not-a-number", "stranger": stranger.pk}.get(who) or reviewers[who].pk
    client.force_login(manager)
    before = Assignment.objects.count()
    response = client.post(f"/staff/applications/{application.pk}/assign/",
                           {"stage": stage.pk, "reviewer": value})  # fmt: skip
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Assignment.objects.count() == before


def test_a_hand_assignment_is_locked_audited_and_kept_by_a_rerun(client, desk):
    stage, application, reviewers, manager = desk
    client.force_login(manager)
    physician = reviewers["physician"]
    response = client.post(f"/staff/applications/{application.pk}/assign/",
                           {"stage": stage.pk, "reviewer": physician.pk})  # fmt: skip
    assert response.status_code == 302
    made = Assignment.objects.get(application=application, reviewer=physician)
    assert made.locked
    assert 0 <= made.affinity < 1
    assert AuditEvent.objects.filter(verb="assignment.by_hand", actor=manager).count() == 1
    again = client.post(f"/staff/applications/{application.pk}/assign/",
                        {"stage": stage.pk, "reviewer": physician.pk})  # fmt: skip
    assert again.status_code == 422
    assert "Pau Medina already reviews this application at this stage" in again.content.decode()
    assign_stage(stage, by=manager)  # one review each: the hand-made one stands
    assert list(Assignment.objects.filter(application=application)
                .values_list("reviewer", flat=True)) == [physician.pk]  # fmt: skip
    page = client.get(f"/staff/applications/{application.pk}/").content.decode()
    assert "given by hand" in page
    assert f"Affinity {made.affinity:.2f}" in page


def test_who_may_assign_by_hand(client, desk):
    stage, application, reviewers, _manager = desk
    program = stage.cycle.program
    coordinator, observer, outsider = (
        UserFactory(username=f"{role}@example.org", is_staff=True)
        for role in ("coordinator", "observer", "outsider")
    )
    TeamMember.objects.create(program=program, user=coordinator, role="coordinator")
    TeamMember.objects.create(program=program, user=observer, role="observer")
    url = f"/staff/applications/{application.pk}/assign/"
    data = {"stage": stage.pk, "reviewer": reviewers["geologist"].pk}
    for user, status in ((outsider, 404), (observer, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url, data).status_code == status
    client.force_login(observer)
    assert url not in client.get(f"/staff/applications/{application.pk}/").content.decode()
    client.force_login(coordinator)
    assert client.post(url, data).status_code == 302
    assert Assignment.objects.filter(application=application).count() == 1


def test_only_an_application_in_review_is_given_by_hand(client, desk):
    stage, application, reviewers, manager = desk
    application.status = ApplicationStatus.SUBMITTED
    application.save()
    client.force_login(manager)
    response = client.post(f"/staff/applications/{application.pk}/assign/",
                           {"stage": stage.pk, "reviewer": reviewers["geologist"].pk})  # fmt: skip
    assert response.status_code == 422
    assert "Only an application in review can be given to a reviewer" in response.content.decode()
    assert not Assignment.objects.filter(application=application).exists()


def test_an_interview_stage_takes_only_the_shortlisted(client, desk):
    stage, application, reviewers, manager = desk
    interview = StageFactory(cycle=stage.cycle, key="interview", kind="interview",
                             reviews_per_application=1, position=5)  # fmt: skip
    client.force_login(manager)
    url = f"/staff/applications/{application.pk}/assign/"
    data = {"stage": interview.pk, "reviewer": reviewers["geologist"].pk}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "not on the stage&#x27;s shortlist" in response.content.decode()
    Shortlisted.objects.create(
        stage=interview, application=application, rank=1, created_at=timezone.now()
    )
    assert client.post(url, data).status_code == 302
