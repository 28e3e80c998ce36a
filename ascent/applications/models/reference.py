from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


class Relationship(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    SUPERVISOR = "supervisor", _("Supervisor")
    MENTOR = "mentor", _("Mentor")
    OTHER = "other", _("Other")


class ReferenceState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OPENED = "opened", _("Opened")
    SUBMITTED = "submitted", _("Submitted")


class Reference(models.Model):
    """A letter requested from a recommender through a private link; for the panel only.

    Only a hash of the link's token is stored, so a database leak does not open letters.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="references"
    )
    recommender_name = models.CharField(_("recommender"), max_length=200)
    recommender_email = models.EmailField(_("email"))
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(
        _("state"), max_length=16, choices=ReferenceState.choices, default=ReferenceState.REQUESTED
    )
    letter = models.TextField(_("letter"), blank=True)
    letter_file = models.FileField(_("letter (PDF)"), upload_to="references/", blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Last cycle's letter by the same recommender, to start from."),
    )
    requested_at = models.DateTimeField(_("requested"))
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["application", "requested_at"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ReferenceState.values), name="reference_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommender_name} for {self.application}"
