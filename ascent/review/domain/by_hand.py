"""Assigning one application by hand (issue #16): staff pick a reviewer by name, see
each reviewer's affinity to the application and their load, and are refused, by name,
a reviewer in conflict, over their load limit or not on the panel. A hand-made
assignment is locked: re-running the assignment keeps it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ascent.applications.models import Application, ApplicationStatus, Reference
from ascent.common.domain.audit import record
from ascent.engine.affinity import affinity_matrix, application_document, resolve_method
from ascent.engine.conflicts import detect_conflicts
from ascent.programs.domain.forms import form_of
from ascent.programs.models import Stage, StageKind
from ascent.review.models import Assignment, Conflict, Reviewer, Shortlisted

from .embeddings import DatabaseEmbeddingCache, reviewer_profile
from .errors import ReviewError


@dataclass
class Candidate:
    reviewer: Reviewer
    affinity: float
    load: int  # assignments in this cycle, every stage
    conflict: str = ""  # why they must not review this applicant, in words
    assigned: bool = False  # already on this application at this stage

    @property
    def full(self) -> bool:
        return self.load >= self.reviewer.load_limit

    @property
    def refusal(self) -> str:
        """Why this reviewer cannot be given the application, or "" when they can."""
        name = self.reviewer.display_name
        if self.assigned:
            return _("%(name)s already reviews this application at this stage") % {"name": name}
        if self.conflict:
            return _("%(name)s has a conflict with this applicant: %(why)s") % {
                "name": name, "why": self.conflict}  # fmt: skip
        if self.full:
            return _("%(name)s has reached their load limit (%(load)s of %(limit)s)") % {
                "name": name, "load": self.load, "limit": self.reviewer.load_limit}  # fmt: skip
        return ""


def hand_stages(application: Application):
    """The stages of the application's cycle that have reviewers."""
    return Stage.objects.filter(
        cycle=application.cycle_id, kind__in=[StageKind.REVIEW, StageKind.INTERVIEW]
    ).order_by("position", "pk")


def candidates(application: Application, stage: Stage) -> tuple[list[Candidate], str]:
    """Every active reviewer of the program with their affinity to this application,
    their load and any conflict: those who can take it first, best fit first; and the
    method that scored them."""
    reviewers = list(
        Reviewer.objects.filter(program=application.cycle.program_id, active=True)
        .select_related("user")
        .order_by("display_name", "pk")
    )
    if not reviewers:
        return [], ""
    method = resolve_method("auto")
    found = _scored(application, stage, reviewers, method)
    found.sort(key=lambda c: (bool(c.refusal), -c.affinity, c.reviewer.display_name))
    return found, method


def _scored(application, stage, reviewers: list[Reviewer], method: str) -> list[Candidate]:
    """The affinity is the application's alone against each profile; the assignment's
    own figure, scored with the whole cycle, can differ in the second decimal."""
    document = application_document(application.answers or {}, form_of(application.cycle))
    profiles = [reviewer_profile(r.expertise, r.statement, r.papers) for r in reviewers]
    affinity = affinity_matrix([document], profiles, method=method,
                               cache=DatabaseEmbeddingCache())[0]  # fmt: skip
    loads = dict(
        Assignment.objects.filter(stage__cycle=application.cycle_id, reviewer__in=reviewers)
        .values("reviewer")
        .annotate(n=Count("id"))
        .values_list("reviewer", "n")
    )
    on_it = set(Assignment.objects.filter(application=application, stage=stage)
                .values_list("reviewer_id", flat=True))  # fmt: skip
    conflicts = _conflicts(application, reviewers)
    return [
        Candidate(reviewer, float(affinity[j]), loads.get(reviewer.pk, 0),
                  conflicts.get(reviewer.pk, ""), reviewer.pk in on_it)
        for j, reviewer in enumerate(reviewers)
    ]  # fmt: skip


def _conflicts(application: Application, reviewers: list[Reviewer]) -> dict[int, str]:
    """Each reviewer's conflict with the applicant, in words: stored ones (declared,
    detected or set by staff), a shared organisation, or being their recommender."""
    found = {}
    emails = list(Reference.objects.filter(application=application)
                  .values_list("recommender_email", flat=True))  # fmt: skip
    organisation = (application.applicant.organisation
                    or (application.answers or {}).get("organisation") or "")  # fmt: skip
    for conflict in detect_conflicts([str(organisation)], [r.organisation for r in reviewers],
                                     [emails], [r.user.email for r in reviewers]):  # fmt: skip
        reviewer = reviewers[conflict.reviewer]
        if conflict.reason.startswith("same organisation"):
            found[reviewer.pk] = _("same organisation (%(organisation)s)") % {
                "organisation": reviewer.organisation}  # fmt: skip
        else:
            found[reviewer.pk] = _("they are one of the applicant's recommenders")
    for conflict in Conflict.objects.filter(applicant=application.applicant_id,
                                            reviewer__in=reviewers):  # fmt: skip
        words = conflict.get_source_display()
        found[conflict.reviewer_id] = f"{words}: {conflict.reason}" if conflict.reason else words
    return found


def assign_by_hand(application: Application, stage: Stage, reviewer_id, *, by) -> Assignment:
    """Give ``application`` to one reviewer at ``stage``, locked; refused, by name, when
    the reviewer is in conflict, at their load limit or already on it."""
    if stage.cycle_id != application.cycle_id or stage.kind not in (
        StageKind.REVIEW, StageKind.INTERVIEW):  # fmt: skip
        raise ReviewError(_("stage: choose a review or interview stage of this cycle"),
                          problems=[("stage", _("choose a review or interview stage of this "
                                                "cycle"))])  # fmt: skip
    if application.status != ApplicationStatus.IN_REVIEW:
        raise ReviewError(_("Only an application in review can be given to a reviewer; this "
                            "one is %(status)s.") % {"status": application.get_status_display()
                                                     .lower()})  # fmt: skip
    if stage.kind == StageKind.INTERVIEW and not Shortlisted.objects.filter(
        stage=stage, application=application).exists():  # fmt: skip
        message = _("This application is not on the stage's shortlist.")
        raise ReviewError(message, problems=[("stage", message)])
    try:
        reviewer_pk = int(reviewer_id)
    except (TypeError, ValueError):
        reviewer_pk = None
    with transaction.atomic():
        # One hand assignment at a time per reviewer: two staff members cannot both take
        # the last place under the load limit.
        reviewer = (Reviewer.objects.select_for_update().select_related("user")
                    .filter(pk=reviewer_pk, program=application.cycle.program_id, active=True)
                    .first())  # fmt: skip
        if reviewer is None:
            raise ReviewError(_("reviewer: choose a reviewer of this program's panel"),
                              problems=[("reviewer", _("choose a reviewer of this program's "
                                                       "panel"))])  # fmt: skip
        found = _scored(application, stage, [reviewer], resolve_method("auto"))[0]
        if found.refusal:
            raise ReviewError(found.refusal, problems=[("reviewer", found.refusal)])
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    reviewer=reviewer, application=application, stage=stage,
                    affinity=found.affinity, locked=True, created_at=timezone.now())  # fmt: skip
        except IntegrityError:  # the same pair made a moment ago by someone else
            message = _("%(name)s already reviews this application at this stage") % {
                "name": reviewer.display_name}  # fmt: skip
            raise ReviewError(message, problems=[("reviewer", message)]) from None
        record(by, "assignment.by_hand", assignment, reviewer=reviewer.display_name,
               stage=stage.key, affinity=round(found.affinity, 3))  # fmt: skip
    return assignment
