from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ascent.engine.forms import Choice, FieldSpec

from .cycle import Cycle


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    FILE = "file", _("File")
    RECORDS = "records", _("Repeated records")


class FormField(models.Model):
    """One typed question of a cycle's form; ``records`` fields hold their columns."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="form_fields")
    key = models.SlugField(_("key"), max_length=64, allow_unicode=False)
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=FieldKind.choices)
    required = models.BooleanField(_("required"), default=False)
    help_text = models.TextField(_("help text"), blank=True)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_('[{"value": …, "label": …}, …]')
    )
    ordered = models.BooleanField(
        _("ordered choices"), default=False, help_text=_("The choices form a scale, lowest first.")
    )
    min_value = models.FloatField(_("minimum"), null=True, blank=True)
    max_value = models.FloatField(_("maximum"), null=True, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    columns = models.JSONField(
        _("columns"), default=list, blank=True, help_text=_("The fields of each record.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    hidden_from_reviewers = models.BooleanField(
        _("hidden from reviewers"), default=False,
        help_text=_("Never shown to the panel (e.g. demographic data)."),
    )  # fmt: skip
    identifying = models.BooleanField(
        _("identifies the applicant"), default=False,
        help_text=_("Hidden from reviewers in blind stages (name, organisation, …)."),
    )  # fmt: skip

    class Meta:
        ordering = ["cycle", "position", "id"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "key"], name="formfield_unique_key"),
            models.CheckConstraint(
                condition=Q(kind__in=FieldKind.values), name="formfield_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_kind_display()})"

    def to_spec(self) -> FieldSpec:
        return FieldSpec(
            key=self.key,
            label=self.label,
            kind=self.kind,
            required=self.required,
            help_text=self.help_text,
            choices=tuple(Choice(c["value"], c.get("label", c["value"])) for c in self.choices),
            ordered=self.ordered,
            min_value=self.min_value,
            max_value=self.max_value,
            max_length=self.max_length,
            fields=tuple(FieldSpec.from_dict(column) for column in self.columns),
        )
