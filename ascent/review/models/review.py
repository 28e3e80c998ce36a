from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ascent.applications.models import Application
from ascent.programs.models import Criterion, Stage

from .panel import Reviewer


class Assignment(models.Model):
    """A reviewer given an application at a stage."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="assignments")
    affinity = models.FloatField(_("affinity"), null=True, blank=True)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Set by staff by hand; re-running keeps it.")
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "application", "stage"], name="assignment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"

    def clean(self) -> None:
        """Staff moving or adding an assignment by hand: never into a conflict."""
        from django.core.exceptions import ValidationError

        from .panel import Conflict

        if (
            self.reviewer_id
            and self.application_id
            and Conflict.objects.filter(
                reviewer_id=self.reviewer_id, applicant_id=self.application.applicant_id
            ).exists()
        ):
            raise ValidationError(
                {"reviewer": _("This reviewer has a conflict with the applicant.")}
            )


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Review(models.Model):
    """A reviewer's scores on the criteria of one assigned application."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    state = models.CharField(
        _("state"), max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    comments = models.TextField(_("comments"), blank=True)
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), null=True, blank=True, help_text=_("1 (guess) to 5 (expert).")
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=1, confidence__lte=5),
                name="review_confidence_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReviewState.values), name="review_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Review by {self.assignment.reviewer}"


class Score(models.Model):
    """One criterion's score in a review.

    The criterion's scale is copied here when the score is written: a CHECK constraint
    cannot look into another table, and this way the database itself refuses a score
    outside the scale. Criteria with scores keep their scale.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.SmallIntegerField(_("score"))
    scale_min = models.SmallIntegerField(editable=False)
    scale_max = models.SmallIntegerField(editable=False)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=F("scale_min"), value__lte=F("scale_max")),
                name="score_inside_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"

    def save(self, *args, **kwargs):
        self.scale_min, self.scale_max = self.criterion.scale_min, self.criterion.scale_max
        super().save(*args, **kwargs)


class Shortlisted(models.Model):
    """An application chosen for a later stage (an interview) from the panel's ranking."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="shortlist")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="shortlisted"
    )
    rank = models.PositiveIntegerField(_("rank when shortlisted"))
    created_at = models.DateTimeField(_("shortlisted"))

    class Meta:
        ordering = ["stage", "rank"]
        verbose_name = _("shortlisted application")
        verbose_name_plural = _("shortlist")
        constraints = [
            models.UniqueConstraint(fields=["stage", "application"], name="shortlisted_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.stage}"
