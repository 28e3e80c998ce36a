from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .cycle import Cycle


class Requirement(models.Model):
    """An eligibility rule over an application's answers, stored as JSON data."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="requirements")
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("in plain language"), blank=True)
    rule = models.JSONField(_("rule"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["cycle", "position", "id"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "key"], name="requirement_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse a rule that does not fit the cycle's form (the admin and forms call it)."""
        from django.core.exceptions import ValidationError

        from ascent.programs.domain.errors import ProgramError
        from ascent.programs.domain.forms import check_rule, form_of

        if self.cycle_id is None:
            return
        try:
            check_rule(form_of(self.cycle), self.rule)
        except ProgramError as error:
            raise ValidationError(
                {"rule": [f"{path}: {message}" for path, message in error.problems]}
            ) from error


class Criterion(models.Model):
    """One line of a rubric: a scale, a weight, what each level means and how to improve."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    scale_min = models.SmallIntegerField(_("lowest score"), default=1)
    scale_max = models.SmallIntegerField(_("highest score"), default=10)
    weight = models.FloatField(_("weight"))
    levels = models.JSONField(
        _("levels"),
        default=list,
        blank=True,
        help_text=_('[{"score": 1, "description": …, "advice": …}, …]'),
    )
    advice = models.TextField(_("improvement advice"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["cycle", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "key"], name="criterion_unique_key"),
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max")), name="criterion_scale_ordered"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class StageKind(models.TextChoices):
    SCREENING = "screening", _("Screening")
    REVIEW = "review", _("Panel review")
    INTERVIEW = "interview", _("Interview")
    SELECTION = "selection", _("Final selection")


class Stage(models.Model):
    """A step of a cycle's pipeline."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="stages")
    key = models.SlugField(_("key"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=StageKind.choices)
    position = models.PositiveIntegerField(_("position"), default=0)
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviews per application"), default=0
    )

    class Meta:
        ordering = ["cycle", "position", "id"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "key"], name="stage_unique_key"),
            models.CheckConstraint(condition=Q(kind__in=StageKind.values), name="stage_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name
