"""Between cycles: the applicant's plan (goals), their check-ins, the reminders sent, and
what their supporters say to them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applicant import Applicant
from .supporter import Supporter


class Goal(models.Model):
    """One step of the plan: a criterion or requirement to raise, by a date, in the
    applicant's words. Only the applicant (and no one else) reads it."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="goals")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    criterion_key = models.SlugField(_("criterion"), max_length=50, blank=True)
    requirement_key = models.SlugField(_("requirement"), max_length=50, blank=True)
    title = models.CharField(_("goal"), max_length=200)
    # A goal made from a gap report keeps its sentence as a message (template and values,
    # as explanations do), so that it reads in the reader's language; None once the
    # applicant writes their own title.
    title_message = models.JSONField(null=True, blank=True, editable=False)
    target_level = models.FloatField(_("target level"), null=True, blank=True)
    target_date = models.DateField(_("by"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("set"), auto_now_add=True)
    done_at = models.DateTimeField(_("reached"), null=True, blank=True)

    class Meta:
        ordering = ["target_date", "created_at", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    """Progress noted by the applicant on a date: a note and a self-assessed level per
    criterion (by key)."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="check_ins")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("on"))
    note = models.TextField(_("note"), blank=True, max_length=4000)
    levels = models.JSONField(_("self-assessed levels"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.applicant} {self.at:%Y-%m-%d}"


class Reminder(models.Model):
    """An e-mail sent about a cycle, so that it is sent once: "the next cycle is open"
    and "a fortnight to the deadline"."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("The next cycle is open")
        FORTNIGHT = "fortnight", _("A fortnight to the deadline")

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="reminders")
    cycle = models.ForeignKey("programs.Cycle", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["applicant", "cycle", "kind"], name="reminder_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["opened", "fortnight"]), name="reminder_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.cycle_id} {self.applicant_id}"


class SupporterNote(models.Model):
    """A short note of encouragement a supporter leaves; the applicant can hide it."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"), max_length=1000)
    created_at = models.DateTimeField(_("left"), auto_now_add=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("note of encouragement")
        verbose_name_plural = _("notes of encouragement")

    def __str__(self) -> str:
        return self.text[:40]


class SupporterLink(models.Model):
    """A further private link for a supporter, one per milestone e-mail (links are kept
    only as digests, so each e-mail carries a fresh one); all end when the applicant
    stops sharing."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supporter link")
        verbose_name_plural = _("supporter links")

    def __str__(self) -> str:
        return f"link {self.pk} of {self.supporter_id}"


class FeedbackRequest(models.Model):
    """The applicant asks a mentor (a supporter) for feedback on a draft, sharing only the
    answers chosen (files only when chosen). Nothing here reaches the program."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="feedback_requests")  # fmt: skip
    mentor = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    fields = models.JSONField(_("answers shared"), default=list)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")

    def __str__(self) -> str:
        return f"{self.application_id} → {self.mentor}"


class MentorComment(models.Model):
    """A mentor's comment on one shared answer of a draft; only the applicant reads it."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="comments")
    field_key = models.SlugField(_("question"), max_length=50)
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("mentor's comment")
        verbose_name_plural = _("mentor's comments")

    def __str__(self) -> str:
        return self.text[:40]
