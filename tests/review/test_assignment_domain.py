"""Assigning a stage's reviews on the database: invariants, conflicts, re-runs, errors."""

import datetime as dt
from collections import Counter

import pytest

from ascent.applications.models import ApplicationStatus, Reference
from ascent.common.models import AuditEvent
from ascent.review.domain.assignment import assign_stage
from ascent.review.domain.errors import ReviewError
from ascent.review.models import Assignment, Conflict, ConflictSource, Review
from ascent.review.tasks import start_assignment
from tests.factories import (
    ApplicantFactory,
    ApplicationFactory,
    CycleFactory,
    FormFieldFactory,
    ReviewerFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db
TOPICS = ["geology", "medicine", "robotics"]
SUBMITTED_AT = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


@pytest.fixture
def panel():
    """Nine applications in review (three per topic), six reviewers (two per topic)."""
    cycle = CycleFactory()
    FormFieldFactory(cycle=cycle, key="topic", kind="choice",
                     choices=[{"value": t, "label": t.capitalize()} for t in TOPICS])  # fmt: skip
    FormFieldFactory(cycle=cycle, key="statement", kind="long_text", required=False)
    stage = StageFactory(cycle=cycle, key="panel", reviews_per_application=2)
    applications = [
        ApplicationFactory(
            cycle=cycle, status=ApplicationStatus.IN_REVIEW, submitted_at=SUBMITTED_AT,
            applicant=ApplicantFactory(display_name=f"{topic.capitalize()} applicant {i}",
                                       organisation=f"Lab {topic} {i}"),
            answers={"topic": topic, "statement": f"My work is in {topic}."},
        )
        for topic in TOPICS
        for i in range(3)
    ]  # fmt: skip
    reviewers = [
        ReviewerFactory(program=cycle.program, expertise=[topic], load_limit=4,
                        display_name=f"{topic} reviewer {i}", organisation=f"Panel {topic} {i}")
        for topic in TOPICS
        for i in range(2)
    ]  # fmt: skip
    return stage, applications, reviewers


def pairs_of(stage):
    return set(Assignment.objects.filter(stage=stage).values_list("application_id", "reviewer_id"))


def test_every_application_gets_its_reviews_within_loads_and_on_topic(panel):
    stage, applications, reviewers = panel
    summary = assign_stage(stage)
    pairs = pairs_of(stage)
    assert len(pairs) == Assignment.objects.filter(stage=stage).count() == 18
    assert Counter(a for a, _ in pairs) == {a.pk: 2 for a in applications}
    assert max(Counter(r for _, r in pairs).values()) <= 4
    topic_of = {a.pk: a.answers["topic"] for a in applications}
    expertise = {r.pk: r.expertise[0] for r in reviewers}
    on_topic = sum(topic_of[a] == expertise[r] for a, r in pairs)
    assert on_topic >= 12  # each topic's two reviewers can take 8 of its 6 reviews
    assert summary.total_affinity == pytest.approx(summary.upper_bound, abs=1e-3)
    assert (summary.applications, summary.reviewers, summary.assigned) == (9, 6, 18)
    assert sum(summary.load_histogram.values()) == 6
    assert Assignment.objects.filter(stage=stage, affinity__isnull=True).count() == 0
    assert AuditEvent.objects.get(verb="stage.assigned").data["assigned"] == 18


def test_declared_and_detected_conflicts_are_never_crossed(panel):
    stage, applications, reviewers = panel
    geology = applications[0]
    Conflict.objects.create(reviewer=reviewers[0], applicant=geology.applicant,
                            source=ConflictSource.DECLARED, reason="former student")  # fmt: skip
    # Same organisation as the second geology reviewer, who also wrote a reference.
    geology.applicant.organisation = reviewers[1].organisation
    geology.applicant.save()
    other = applications[1]
    Reference.objects.create(application=other, recommender_name="R",
                             recommender_email=reviewers[1].user.email, relationship="mentor",
                             token_hash="x" * 64, requested_at=SUBMITTED_AT)  # fmt: skip

    summary = assign_stage(stage)

    pairs = pairs_of(stage)
    assert (geology.pk, reviewers[0].pk) not in pairs
    assert (geology.pk, reviewers[1].pk) not in pairs
    assert (other.pk, reviewers[1].pk) not in pairs
    detected = Conflict.objects.filter(source=ConflictSource.DETECTED)
    # The recommender is stored; the shared organisation is found again at each run.
    assert {(c.applicant_id, c.reviewer_id) for c in detected} == {
        (other.applicant_id, reviewers[1].pk)}  # fmt: skip
    assert "recommender" in detected.get().reason
    assert summary.detected_now == 1
    assert summary.conflicts == {"declared": 1, "detected": 1, "same organisation": 1}
    assert assign_stage(stage).detected_now == 0  # stored once


def test_locked_and_begun_assignments_are_kept_and_others_replaced(panel):
    stage, applications, reviewers = panel
    # A geology application locked to a robotics reviewer: off-topic, kept anyway.
    locked = Assignment.objects.create(reviewer=reviewers[5], application=applications[0],
                                       stage=stage, locked=True, created_at=SUBMITTED_AT)  # fmt: skip
    begun = Assignment.objects.create(reviewer=reviewers[4], application=applications[1],
                                      stage=stage, created_at=SUBMITTED_AT)  # fmt: skip
    Review.objects.create(assignment=begun)
    loose = Assignment.objects.create(reviewer=reviewers[3], application=applications[2],
                                      stage=stage, created_at=SUBMITTED_AT)  # fmt: skip

    summary = assign_stage(stage)

    pairs = pairs_of(stage)
    assert summary.kept == 2
    assert summary.assigned == 16
    assert Assignment.objects.filter(pk__in=[locked.pk, begun.pk]).count() == 2
    assert not Assignment.objects.filter(pk=loose.pk).exists()
    assert Counter(a for a, _ in pairs) == {a.pk: 2 for a in applications}
    assert len(pairs) == Assignment.objects.filter(stage=stage).count()

    again = assign_stage(stage)
    assert again.kept == 2
    assert pairs_of(stage) == pairs  # same problem, same optimum
    assert Review.objects.get().assignment_id == begun.pk


def test_a_rerun_that_keeps_everything_scores_the_kept_assignments(panel):
    """Assignments made elsewhere (the demo's world, an import) have no affinity: a run
    that keeps them all gives them theirs, and its figures are the stage's, not zeros."""
    stage, _applications, _reviewers = panel
    first = assign_stage(stage)
    Assignment.objects.filter(stage=stage).update(locked=True, affinity=None)
    again = assign_stage(stage)
    assert (again.assigned, again.kept) == (0, 18)
    stored = list(Assignment.objects.filter(stage=stage).values_list("affinity", flat=True))
    assert None not in stored
    assert sum(stored) == pytest.approx(first.total_affinity, abs=1e-3)
    assert again.total_affinity == pytest.approx(first.total_affinity, abs=1e-3)
    assert again.upper_bound == pytest.approx(first.total_affinity, abs=1e-3)
    assert again.min_application_affinity == pytest.approx(first.min_application_affinity)
    assert again.affinity_quantiles == first.affinity_quantiles


def test_the_load_limit_counts_other_stages_of_the_cycle(panel):
    stage, applications, reviewers = panel
    interview = StageFactory(cycle=stage.cycle, key="interview", kind="interview",
                             reviews_per_application=1)  # fmt: skip
    for application in applications[:4]:
        Assignment.objects.create(reviewer=reviewers[0], application=application,
                                  stage=interview, created_at=SUBMITTED_AT)  # fmt: skip
    assign_stage(stage)
    assert not Assignment.objects.filter(stage=stage, reviewer=reviewers[0]).exists()


def test_an_impossible_assignment_names_the_application_and_writes_nothing(panel):
    stage, applications, reviewers = panel
    before = Assignment.objects.create(reviewer=reviewers[0], application=applications[0],
                                       stage=stage, created_at=SUBMITTED_AT)  # fmt: skip
    for reviewer in reviewers[:5]:
        Conflict.objects.create(reviewer=reviewer, applicant=applications[4].applicant,
                                source=ConflictSource.DECLARED)  # fmt: skip
    with pytest.raises(ReviewError) as caught:
        assign_stage(stage)
    message = str(caught.value)
    assert "Medicine applicant 1's application" in message
    assert "has 1 reviewers without a conflict but needs 2" in message
    assert "Invite more reviewers" in message
    assert list(Assignment.objects.filter(stage=stage)) == [before]


def test_too_little_capacity_says_how_much(panel):
    stage, _applications, reviewers = panel
    for reviewer in reviewers:
        reviewer.load_limit = 2
        reviewer.save()
    with pytest.raises(ReviewError, match="reviewers can take 12 reviews in all; 18 are needed"):
        assign_stage(stage)


def test_nothing_to_assign_and_wrong_stages_are_refused(panel):
    stage, applications, reviewers = panel
    screening = StageFactory(cycle=stage.cycle, key="screening", kind="screening")
    with pytest.raises(ReviewError, match="'screening' is a screening stage"):
        assign_stage(screening)
    for reviewer in reviewers:
        reviewer.active = False
        reviewer.save()
    with pytest.raises(ReviewError, match="no active reviewer"):
        assign_stage(stage)
    for application in applications:
        application.status = ApplicationStatus.INELIGIBLE
        application.save()
    with pytest.raises(ReviewError, match="no application of this cycle is in review"):
        assign_stage(stage)


def test_the_fair_objective_lifts_the_worst_off_application(panel):
    stage, applications, _reviewers = panel
    fair = assign_stage(stage, objective="fair")
    assert fair.objective == "fair"
    total = assign_stage(stage, objective="total")
    assert fair.min_application_affinity >= total.min_application_affinity - 1e-9
    assert total.total_affinity >= fair.total_affinity - 1e-9
    assert Counter(a for a, _ in pairs_of(stage)) == {a.pk: 2 for a in applications}


def test_the_job_runs_the_assignment_and_keeps_errors_for_people(panel):
    stage, applications, _reviewers = panel
    job = start_assignment(stage, objective="fair")
    job.refresh_from_db()
    assert job.state == "done"
    assert job.parameters == {"objective": "fair"}
    assert job.result["assigned"] == 18
    for application in applications:
        application.status = ApplicationStatus.WITHDRAWN
        application.save()
    failed = start_assignment(stage)
    failed.refresh_from_db()
    assert failed.state == "failed"
    assert failed.error == "no application of this cycle is in review: screen the cycle first"


def test_the_job_page_says_everything_in_the_readers_words(panel):
    from django.test import Client

    from tests.factories import UserFactory

    stage, _applications, _reviewers = panel
    stage.cycle.translations = {"es": {stage.name: "Comité de lectura"}}
    stage.cycle.save()
    job = start_assignment(stage, objective="fair")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/staff/jobs/{job.pk}/").content.decode()
    for said in ("Asignación #", "Comité de lectura", "primero la solicitud peor atendida",
                 "Terminado —"):  # fmt: skip
        assert said in page, said
    for code in ("fair", "hybrid", "tfidf", "Assignment #", "same organisation", "Done —"):
        assert code not in page, code
    cycle_page = client.get(f"/staff/cycles/{stage.cycle_id}/").content.decode()
    assert f"Asignación #{job.pk}" in cycle_page


def test_staff_cannot_assign_by_hand_across_a_conflict(panel):
    from django.core.exceptions import ValidationError

    stage, applications, reviewers = panel
    Conflict.objects.create(reviewer=reviewers[0], applicant=applications[0].applicant,
                            source=ConflictSource.STAFF)  # fmt: skip
    by_hand = Assignment(reviewer=reviewers[0], application=applications[0], stage=stage,
                         created_at=SUBMITTED_AT, locked=True)  # fmt: skip
    with pytest.raises(ValidationError, match="conflict with the applicant"):
        by_hand.full_clean()
    Assignment(
        reviewer=reviewers[1],
        application=applications[0],
        stage=stage,
        created_at=SUBMITTED_AT,
        locked=True,
    ).full_clean()


def test_a_stage_can_ask_for_at_most_one_reviewer_per_organisation():
    """Issue #17's group constraint in the product: the organisations come from the
    reviewers' profiles; two colleagues never review the same application when the
    stage says so, though they fit it best."""
    from ascent.applications.models import ApplicationStatus
    from tests.factories import (
        ApplicantFactory,
        ApplicationFactory,
        CycleFactory,
        FormFieldFactory,
        ReviewerFactory,
        StageFactory,
    )

    cycle = CycleFactory()
    FormFieldFactory(cycle=cycle, key="statement", kind="long_text")
    stage = StageFactory(cycle=cycle, key="panel", reviews_per_application=2)
    application = ApplicationFactory(
        cycle=cycle, status=ApplicationStatus.IN_REVIEW, submitted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        applicant=ApplicantFactory(organisation="Elsewhere"),
        answers={"statement": "Volcanoes of Mars and their basaltic lava flows."},
    )  # fmt: skip
    volcanoes = ["Volcanoes of Mars: basaltic lava flows."]
    colleagues = [ReviewerFactory(program=cycle.program, organisation=org, papers=volcanoes)
                  for org in ("Lunar Lab", " lunar  lab ")]  # fmt: skip
    outsider = ReviewerFactory(program=cycle.program, organisation="Sea Institute",
                               papers=["Coral reefs and fish."])  # fmt: skip

    def assigned():
        return set(Assignment.objects.filter(application=application)
                   .values_list("reviewer", flat=True))  # fmt: skip

    assign_stage(stage, by=None)
    assert assigned() == {colleagues[0].pk, colleagues[1].pk}  # the best fits, by default
    stage.one_per_organisation = True
    stage.save()
    summary = assign_stage(stage, by=None)
    assert outsider.pk in assigned()
    assert len(assigned() & {c.pk for c in colleagues}) == 1
    assert summary.one_per_organisation


def test_a_stage_can_ask_for_a_senior_reviewer_on_each_application(client):
    """Staff mark reviewers senior on the panel page; a stage that asks gives every
    application one, and a bad load limit is kept and explained beside the row."""
    from ascent.applications.models import ApplicationStatus
    from ascent.programs.models import TeamMember
    from tests.factories import (
        ApplicationFactory,
        CycleFactory,
        FormFieldFactory,
        ReviewerFactory,
        StageFactory,
        UserFactory,
    )

    cycle = CycleFactory()
    FormFieldFactory(cycle=cycle, key="statement", kind="long_text")
    stage = StageFactory(cycle=cycle, key="panel", reviews_per_application=1, one_senior=True)
    applications = [ApplicationFactory(
        cycle=cycle, status=ApplicationStatus.IN_REVIEW,
        submitted_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        answers={"statement": "Volcanoes of Mars and their basaltic lava flows."})
        for _i in range(2)]  # fmt: skip
    expert = ReviewerFactory(program=cycle.program, papers=["Volcanoes of Mars: lava flows."])
    elder = ReviewerFactory(program=cycle.program, papers=["Coral reefs and fish."])
    manager = UserFactory(is_staff=True)
    TeamMember.objects.create(program=cycle.program, user=manager, role="manager")
    client.force_login(manager)
    with pytest.raises(ReviewError, match="senior"):
        assign_stage(stage, by=manager)  # nobody is senior yet: it says so
    url = f"/staff/cycles/{cycle.pk}/panel/"
    bad = client.post(url, {"reviewer": elder.pk, "load_limit": "²", "active": "on",
                            "senior": "on"})  # fmt: skip
    assert bad.status_code == 422
    assert "a whole number from 1 to 1000" in bad.content.decode()
    assert 'value="²"' in bad.content.decode()
    assert "Not invited" not in bad.content.decode()
    elder.refresh_from_db()
    assert not elder.senior
    assert client.post(url, {"reviewer": elder.pk, "load_limit": "5", "active": "on",
                             "senior": "on"}).status_code == 302  # fmt: skip
    elder.refresh_from_db()
    assert (elder.senior, elder.load_limit, elder.active) == (True, 5, True)
    assign_stage(stage, by=manager)
    given = list(Assignment.objects.filter(stage=stage).values_list("reviewer", flat=True))
    assert given == [elder.pk, elder.pk]  # the senior, though the expert fits better
    stage.one_senior = False
    stage.save()
    assign_stage(stage, by=manager)
    assert set(Assignment.objects.filter(stage=stage).values_list("reviewer", flat=True)) == {
        expert.pk}  # fmt: skip
    assert len(applications) == 2
