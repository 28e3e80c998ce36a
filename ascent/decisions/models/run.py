from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ascent.programs.models import Cycle


class DecisionRun(models.Model):
    """One run of calibration, selection, audit and gap reports for a cycle.

    ``inputs`` keeps the exact arrays the engine saw (scores with their application,
    reviewer and criterion indices, weights, eligibility, groups) as a compressed NumPy
    archive, and ``parameters`` the settings; with ``model_version`` they reproduce the
    decision (``reproduce_run``). ``inputs_digest`` is their SHA-256.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="decision_runs")
    model_version = models.CharField(_("model version"), max_length=64)
    parameters = models.JSONField(_("parameters"), default=dict)
    inputs = models.BinaryField(_("inputs"))
    inputs_digest = models.CharField(_("inputs digest"), max_length=64)
    summary = models.JSONField(_("summary"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("run at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("decision run")
        verbose_name_plural = _("decision runs")

    def __str__(self) -> str:
        return f"{self.cycle} — {self.created_at:%Y-%m-%d %H:%M} ({self.model_version})"
