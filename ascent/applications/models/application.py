from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ascent.programs.models import Cycle

from .applicant import Applicant


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    INELIGIBLE = "ineligible", _("Not eligible")
    IN_REVIEW = "in_review", _("In review")
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    NOT_SELECTED = "not_selected", _("Not selected")


S = ApplicationStatus
# Which status may follow which. Screening overrides move an ineligible application into
# review; a waitlisted one is selected when a seat frees up.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.WITHDRAWN, S.INELIGIBLE, S.IN_REVIEW}),
    S.INELIGIBLE: frozenset({S.IN_REVIEW}),
    # re-screening after a corrected rule, or a staff override, can exclude again
    S.IN_REVIEW: frozenset({S.WITHDRAWN, S.INELIGIBLE, S.SELECTED, S.WAITLISTED, S.NOT_SELECTED}),
    S.WAITLISTED: frozenset({S.WITHDRAWN, S.SELECTED, S.NOT_SELECTED}),
    S.SELECTED: frozenset({S.WITHDRAWN, S.NOT_SELECTED}),
    S.NOT_SELECTED: frozenset({S.SELECTED, S.WAITLISTED}),
    # the applicant may reopen what they withdrew themselves, until the deadline
    S.WITHDRAWN: frozenset({S.DRAFT}),
}


class Application(models.Model):
    """One applicant in one cycle. Answers are JSON validated against the cycle's form."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="applications")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=S.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    held_answers = models.JSONField(
        _("answers that need fixing"),
        default=dict,
        blank=True,
        help_text=_(
            "A draft's answers kept as the applicant typed them although they do not pass "
            "the form's checks yet. Only the applicant sees them; submission refuses them."
        ),
    )
    receipt = models.CharField(
        _("receipt number"), max_length=40, null=True, blank=True, unique=True
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_applications",
        help_text=_("The application this one started from."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["-cycle__opens_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "cycle"], name="application_one_per_applicant_and_cycle"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=S.DRAFT) | Q(submitted_at__isnull=False) | Q(status=S.WITHDRAWN),
                name="application_submitted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "status"], name="application_cycle_status"),
            # the staff list, oldest submission first, pages through a cycle by this
            models.Index(
                fields=["cycle", "submitted_at", "id"], name="application_cycle_submitted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} — {self.cycle.name}"


class ApplicationTransition(models.Model):
    """One change of an application's status: from what, to what, by whom, why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Empty when the system made the change."),
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
