from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ascent.applications.models import Applicant
from ascent.programs.models import Program

MAX_STATEMENT = 5000  # characters
MAX_PAPERS = 50
MAX_PAPER = 5000  # characters per publication


class Reviewer(models.Model):
    """A member of a program's panel, with expertise and a load limit per cycle."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_memberships"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reviewers")
    display_name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    expertise = models.JSONField(_("expertise tags"), default=list, blank=True)
    statement = models.TextField(
        _("expertise in their own words"), blank=True, default="", max_length=MAX_STATEMENT
    )
    papers = models.JSONField(
        _("publications"), default=list, blank=True,
        help_text=_("Their own work, one text each: title and abstract."),
    )  # fmt: skip
    load_limit = models.PositiveIntegerField(_("load limit per cycle"), default=30)
    active = models.BooleanField(_("active"), default=True)
    senior = models.BooleanField(
        _("senior"), default=False,
        help_text=_("Counts for a stage that asks for at least one senior reviewer on each "
                    "application."),
    )  # fmt: skip

    class Meta:
        ordering = ["program", "display_name"]
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="reviewer_once_per_program"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def profile_empty(self) -> bool:
        return not (self.expertise or self.statement.strip() or self.papers)


class TextEmbedding(models.Model):
    """A text's embedding by the semantic model, kept so that a re-run of the
    assignment embeds only new or changed texts (applications, publications)."""

    model = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)  # SHA-256 of the text
    vector = models.BinaryField()  # float16, unit length
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "digest"], name="embedding_once_per_text"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.digest[:12]}"


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("Declared by the reviewer")
    DETECTED = "detected", _("Detected")
    STAFF = "staff", _("Set by staff")


class Conflict(models.Model):
    """A reviewer who must not review an applicant, in any cycle."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="conflicts")
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="conflicts")
    source = models.CharField(_("source"), max_length=16, choices=ConflictSource.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "applicant"], name="conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ✕ {self.applicant}"


class BidLevel(models.TextChoices):
    EAGER = "eager", _("Eager to review")
    WILLING = "willing", _("Willing")
    NOT_WILLING = "not_willing", _("Not willing")
    CONFLICT = "conflict", _("Conflict: I know the applicant")


class Bid(models.Model):
    """A reviewer's wish about one application of a stage, before the assignment: eager
    raises the pair's affinity, not willing is used only when there is no other way, and
    a conflict is recorded as a declared Conflict (never a Bid)."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="bids")
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="bids")  # fmt: skip
    level = models.CharField(_("bid"), max_length=16, choices=BidLevel.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "application"], name="bid_once"),
            models.CheckConstraint(
                condition=models.Q(level__in=["eager", "willing", "not_willing"]),
                name="bid_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.get_level_display()}"
