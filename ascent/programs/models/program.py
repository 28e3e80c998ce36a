from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.Model):
    """A recurring selection run by an organisation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    organisation = models.CharField(_("organisation"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    translations = models.JSONField(
        _("translations"), default=dict, blank=True,
        help_text=_('The name, organisation and description in other languages, by language: '
                    '{"es": {"Astronaut Candidate Program": "Programa de…"}}.'),
    )  # fmt: skip
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="staffed_programs", verbose_name=_("team"),
        help_text=_("The staff who run this program: only they (and the operator's "
                    "superusers) see and change it. Empty: every staff member does."),
    )  # fmt: skip

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from ascent.programs.domain.content import check_translations

        problems = check_translations(
            self.translations, known={self.name, self.organisation, self.description}
        )
        if problems:
            raise ValidationError({"translations": [f"{path}: {rule}" for path, rule in problems]})
