from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .program import Program


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    DECIDED = "decided", _("Decided")
    ARCHIVED = "archived", _("Archived")


class Cycle(models.Model):
    """One call of a program: opens, closes at a deadline, selects ``capacity`` people."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", help_text=_("Shown beside the deadline.")
    )
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Seats to fill."))
    state = models.CharField(
        _("state"), max_length=16, choices=CycleState.choices, default=CycleState.DRAFT
    )
    translations = models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_('The configuration\'s texts in other languages, by language: '
                    '{"es": {"Full name": "Nombre completo", …}}. The texts as written are '
                    "in the program's default language, shown where no translation is given."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["program", "-opens_at"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="cycle_unique_slug"),
            models.CheckConstraint(
                condition=Q(deadline__gt=F("opens_at")), name="cycle_deadline_after_opening"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cycle_capacity_positive"),
            models.CheckConstraint(
                condition=Q(state__in=CycleState.values), name="cycle_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name} — {self.name}"

    def clean(self) -> None:
        super().clean()
        from ascent.programs.domain.content import check_translations, texts_of

        problems = check_translations(self.translations, known=texts_of(self) if self.pk else None)
        if problems:
            raise ValidationError({"translations": [f"{path}: {rule}" for path, rule in problems]})
