from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


class Eligibility(models.Model):
    """The result of screening one application against its cycle's requirements.

    ``explanation`` holds one entry per requirement: its key, name, whether it passed,
    and the rules engine's explanation tree (with missing amounts), so the applicant
    and staff read exactly what screening decided. A staff override (with its reason)
    survives re-screening.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="eligibility"
    )
    eligible = models.BooleanField(_("eligible by the rules"))
    failed = models.JSONField(_("failed requirements"), default=list, blank=True)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    screened_on = models.DateField(_("durations counted to"))
    rules_digest = models.CharField(_("rules digest"), max_length=64)
    screened_at = models.DateTimeField(_("screened"))
    override = models.BooleanField(
        _("staff decision"), null=True, blank=True,
        help_text=_("Set when staff overrule the rules; empty otherwise."),
    )  # fmt: skip
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("eligibility")
        verbose_name_plural = _("eligibility")

    def __str__(self) -> str:
        return f"{self.application_id}: {'eligible' if self.is_eligible else 'not eligible'}"

    def clean(self) -> None:
        if self.override is not None and not self.override_reason.strip():
            raise ValidationError({"override_reason": _("Say why the rules are overruled.")})

    @property
    def is_eligible(self) -> bool:
        return self.eligible if self.override is None else self.override
