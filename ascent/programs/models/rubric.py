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
    blind = models.BooleanField(
        _("blind review"), default=False,
        help_text=_("Reviewers see no identifying answer, no letter of reference (unless the "
                    "next setting shows them) and every file under a neutral name made from "
                    "its question, never the name the applicant gave it."),
    )  # fmt: skip
    letters_when_blind = models.BooleanField(
        _("show letters of reference in blind review"), default=False,
        help_text=_("Letters name their writer and usually the applicant: in a blind stage "
                    "they stay hidden unless this is ticked."),
    )  # fmt: skip
    show_history = models.BooleanField(
        _("show earlier applications"), default=False,
        help_text=_("Reviewers see the applicant's earlier applications and what changed "
                    "in the answers since the last one."),
    )  # fmt: skip
    one_per_organisation = models.BooleanField(
        _("at most one reviewer per organisation"), default=False,
        help_text=_("No application gets two reviewers from the same organisation (as "
                    "their profiles name it)."),
    )  # fmt: skip
    one_senior = models.BooleanField(
        _("at least one senior reviewer"), default=False,
        help_text=_("Every application gets at least one reviewer marked senior on the panel."),
    )  # fmt: skip
    others_scores_after_submit = models.BooleanField(
        _("others' scores only after one's own"), default=True,
        help_text=_("A reviewer sees the other reviews only once theirs is submitted."),
    )  # fmt: skip
    shortlist_announced_at = models.DateTimeField(
        _("shortlist announced"), null=True, blank=True, editable=False,
        help_text=_("When the shortlisted applicants (and the supporters they chose) were "
                    "told; from then on the shortlist cannot be replaced."),
    )  # fmt: skip

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


class Quota(models.Model):
    """A minimum and/or maximum of selected applicants who gave one answer to a choice
    field ("at least 3 whose background is Pilot"). All quotas of a cycle name the same
    field, so every applicant is in at most one quota's group."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="quotas")
    field = models.SlugField(_("choice field"), max_length=64)
    value = models.CharField(_("answer"), max_length=100)
    minimum = models.PositiveIntegerField(_("at least"), null=True, blank=True)
    maximum = models.PositiveIntegerField(_("at most"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "field", "value"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "value"], name="quota_once_per_answer"),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True) | Q(maximum__isnull=True)
                | Q(minimum__lte=F("maximum")),
                name="quota_min_at_most_max",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        low = "" if self.minimum is None else f"at least {self.minimum}"
        high = "" if self.maximum is None else f"at most {self.maximum}"
        return f"{self.field} = {self.value}: {', '.join(p for p in (low, high) if p)}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.cycle_id is None:
            return
        spec = next((f for f in self.cycle.form_fields.all() if f.key == self.field), None)
        if spec is None or spec.kind != "choice":
            raise ValidationError({"field": _("Name a choice field of the cycle's form.")})
        values = [c["value"] for c in spec.choices]
        if self.value not in values:
            raise ValidationError({"value": _("Not a choice of that field (choices: %(v)s).")
                                   % {"v": ", ".join(values)}})  # fmt: skip
        other = self.cycle.quotas.exclude(pk=self.pk).exclude(field=self.field).first()
        if other is not None:
            raise ValidationError({"field": _("All quotas of a cycle use one field; this cycle's "
                                              "use %(f)s.") % {"f": other.field}})  # fmt: skip
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValidationError({"maximum": _("At most must not be below at least.")})
