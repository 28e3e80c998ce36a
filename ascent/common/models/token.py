from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenRole(models.TextChoices):
    ALL = "", _("all of the user's roles")
    APPLICANT = "applicant", _("applicant")
    REVIEWER = "reviewer", _("reviewer")
    STAFF = "staff", _("staff")


class ApiToken(models.Model):
    """A personal API token: acts as its user, within that user's roles, narrowed to one
    role and to reading unless made otherwise. Only a hash of the secret is stored; the
    secret is shown once, when the token is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("Identifies the token."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    role = models.CharField(_("acts as"), max_length=16, choices=TokenRole.choices, blank=True,
                            default=TokenRole.ALL)  # fmt: skip
    read_only = models.BooleanField(_("read only"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
