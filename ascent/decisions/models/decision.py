from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ascent.applications.models import Application


class Outcome(models.TextChoices):
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    NOT_SELECTED = "not_selected", _("Not selected")
    INELIGIBLE = "ineligible", _("Not eligible")


class Decision(models.Model):
    """The outcome of an application; once released, it changes only with a reason."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    # The application's cycle, copied so that a cycle's board is read by index (its top
    # rows by rank, its counts by outcome) without joining 20,000 applications.
    cycle = models.ForeignKey(
        "programs.Cycle", on_delete=models.CASCADE, related_name="decisions", editable=False
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    composite = models.FloatField(_("composite score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    run = models.ForeignKey(
        "decisions.DecisionRun", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="decisions",
    )  # fmt: skip
    stderr = models.FloatField(_("standard error of the composite"), null=True, blank=True)
    p_selected = models.FloatField(_("probability of selection"), null=True, blank=True)
    borderline = models.BooleanField(_("borderline"), default=False)
    gap = models.JSONField(
        _("gap report"), default=dict, blank=True,
        help_text=_("How far, on which criteria, and what would most likely close the gap; "
                    "for an ineligible application, the failed requirements."),
    )  # fmt: skip
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    created_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            models.Index(fields=["cycle", "rank"], name="decision_cycle_rank"),
            models.Index(fields=["cycle", "outcome", "composite"], name="decision_cycle_outcome"),
            models.Index(fields=["cycle", "released_at"], name="decision_cycle_released"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="decision_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="decision_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.cycle_id is None and self.application_id is not None:
            self.cycle_id = Application.objects.values_list("cycle_id", flat=True).get(
                pk=self.application_id
            )
        super().save(*args, **kwargs)
