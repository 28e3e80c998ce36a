from django.db import models
from django.utils.translation import gettext_lazy as _

from .applicant import Applicant


class Supporter(models.Model):
    """Someone an applicant invited to follow their journey, read-only, until revoked."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="supporters")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    relationship = models.CharField(_("relationship"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    shares_gap_reports = models.BooleanField(
        _("shares gap reports"), default=False, help_text=_("Chosen by the applicant.")
    )
    shares_milestones = models.BooleanField(
        _("e-mailed at milestones"), default=False,
        help_text=_("Submitted, moved to the next stage, decision out (chosen by the applicant)."),
    )  # fmt: skip
    shares_outcomes = models.BooleanField(
        _("told the outcome"), default=False,
        help_text=_("Without it, a milestone e-mail says only that the journey was updated."),
    )  # fmt: skip
    is_mentor = models.BooleanField(
        _("mentor"), default=False,
        help_text=_("The applicant may ask them for feedback on a draft."),
    )  # fmt: skip
    invited_at = models.DateTimeField(_("invited"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["applicant", "invited_at"]
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")

    def __str__(self) -> str:
        return f"{self.name} ({self.applicant})"
