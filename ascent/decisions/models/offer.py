from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .decision import Decision


class OfferState(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn: the decision changed")


class Offer(models.Model):
    """A seat offered to a selected applicant, to accept or decline by a date. A decline
    or a lapse promotes the next on the waitlist (``promoted_from`` keeps the chain)."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="offer")
    state = models.CharField(_("state"), max_length=16, choices=OfferState.choices,
                             default=OfferState.OFFERED)  # fmt: skip
    offered_at = models.DateTimeField(_("offered"))
    respond_by = models.DateTimeField(_("answer by"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    promoted_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("The offer whose decline or lapse opened this seat."),
    )  # fmt: skip

    class Meta:
        ordering = ["offered_at", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=OfferState.values), name="offer_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision.application}: {self.get_state_display()}"
