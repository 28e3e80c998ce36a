"""The community behind the applicant: milestone e-mails to the supporters the applicant
chose, and their notes of encouragement.

A supporter learns only what the applicant shares: a milestone e-mail goes only to those
who were asked to get them, and a decision is told as the news only to those who were
also given the outcome (the others read that the journey was updated)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ascent.applications.models import Applicant, Supporter, SupporterLink, SupporterNote
from ascent.common.domain.audit import record
from ascent.common.email import send_templated

from .errors import ApplicationError
from .links import new_token

MILESTONES = ("submitted", "advanced", "decided")
NOTE_CHARS = 1000
NOTES_PER_DAY = 10


def fresh_link(supporter: Supporter, base_url: str = "") -> str:
    """A new private link to the applicant's journey for this supporter (links are kept
    only as digests); every link ends when the applicant stops sharing."""
    token, digest = new_token()
    SupporterLink.objects.create(supporter=supporter, token_hash=digest)
    return (base_url or settings.SITE_URL) + reverse("portal:follow", args=[token])


def notify_supporters(applicant: Applicant | int, milestone: str, *, cycle, outcome: str = "",
                      stage: str = "", base_url: str = "") -> int:  # fmt: skip
    """E-mail the applicant's supporters who get milestones; returns how many."""
    if milestone not in MILESTONES:
        raise ValueError(milestone)
    supporters = list(Supporter.objects.filter(applicant=applicant, shares_milestones=True,
                                               revoked_at__isnull=True)
                      .select_related("applicant"))  # fmt: skip
    for supporter in supporters:
        said = milestone
        if milestone == "decided":
            said = "selected" if outcome == "selected" and supporter.shares_outcomes else "updated"
        send_templated("applications/email/milestone", {
            "supporter": supporter, "applicant": supporter.applicant, "cycle": cycle,
            "milestone": said, "stage": stage, "link": fresh_link(supporter, base_url),
        }, [supporter.email])  # fmt: skip
    return len(supporters)


def leave_note(supporter: Supporter, text: str) -> SupporterNote:
    """A supporter's note of encouragement: plain text, at most NOTE_CHARS, a few a day."""
    text = (text or "").strip()
    if not text:
        raise ApplicationError(
            _("note: write a few words"), problems=[("note", _("write a few words"))]
        )
    if len(text) > NOTE_CHARS:
        message = _("at most %(limit)s characters (it has %(length)s)") % {
            "limit": NOTE_CHARS, "length": len(text)}  # fmt: skip
        raise ApplicationError(f"note: {message}", problems=[("note", message)])
    since = timezone.now() - dt.timedelta(days=1)
    if supporter.notes.filter(created_at__gte=since).count() >= NOTES_PER_DAY:
        raise ApplicationError(_("at most %(n)s notes a day") % {"n": NOTES_PER_DAY})
    note = SupporterNote.objects.create(supporter=supporter, text=text)
    record(None, "supporter.note_left", supporter)
    return note


def hide_note(note: SupporterNote, *, hidden: bool, by) -> None:
    """The applicant hides a note (or shows it again)."""
    note.hidden_at = timezone.now() if hidden else None
    note.save(update_fields=["hidden_at"])


COMMENT_CHARS = 2000
COMMENTS_PER_REQUEST = 60


def ask_feedback(application, mentor: Supporter, keys: list[str], *, by, base_url: str = ""):
    """The applicant asks a mentor for comments on their draft, sharing only ``keys``
    (files only when listed); the mentor gets an e-mail with a private link. Comments
    stay between them: the program never sees a request or a comment."""
    from ascent.applications.models import ApplicationStatus, FeedbackRequest
    from ascent.programs.domain.forms import form_of

    if application.status != ApplicationStatus.DRAFT:
        raise ApplicationError(_("feedback is for a draft; this application was sent"))
    if (mentor.applicant_id != application.applicant_id or not mentor.is_mentor
            or mentor.revoked_at is not None):  # fmt: skip
        raise ApplicationError(_("mentor: choose one of your mentors"),
                               problems=[("mentor", _("choose one of your mentors"))])  # fmt: skip
    known = [spec.key for spec in form_of(application.cycle)]
    shared = [key for key in known if key in set(keys or ())]
    if not shared:
        raise ApplicationError(_("fields: choose at least one answer to share"),
                               problems=[("fields", _("choose at least one answer to share"))])  # fmt: skip
    request = FeedbackRequest.objects.create(application=application, mentor=mentor, fields=shared)
    token, digest = new_token()
    SupporterLink.objects.create(supporter=mentor, token_hash=digest)
    link = (base_url or settings.SITE_URL) + reverse("portal:feedback", args=[token, request.pk])
    send_templated("applications/email/feedback_request", {
        "mentor": mentor, "applicant": application.applicant, "cycle": application.cycle,
        "link": link, "count": len(shared),
    }, [mentor.email])  # fmt: skip
    record(by, "feedback.requested", application, mentor=mentor.pk, fields=len(shared))
    return request


def feedback_request_for(supporter: Supporter, pk: int):
    """The open request ``pk`` made to this mentor; LinkError when it is not (any more)."""
    from ascent.applications.models import ApplicationStatus, FeedbackRequest

    from .links import LinkError

    found = (FeedbackRequest.objects.filter(pk=pk, mentor=supporter, closed_at__isnull=True)
             .select_related("application__cycle__program", "application__applicant").first())  # fmt: skip
    if found is None or found.application.status != ApplicationStatus.DRAFT:
        raise LinkError(_("This draft is no longer open for comments: it was sent, or the "
                          "request was closed."))  # fmt: skip
    return found


def comment_on(request, field_key: str, text: str):
    from ascent.applications.models import MentorComment

    text = (text or "").strip()
    if field_key not in (request.fields or []):
        raise ApplicationError(_("this answer was not shared with you"))
    if not text:
        raise ApplicationError(f"comment.{field_key}: " + _("write a few words"),
                               problems=[(f"comment.{field_key}", _("write a few words"))])  # fmt: skip
    if len(text) > COMMENT_CHARS:
        message = _("at most %(limit)s characters (it has %(length)s)") % {
            "limit": COMMENT_CHARS, "length": len(text)}  # fmt: skip
        raise ApplicationError(message, problems=[(f"comment.{field_key}", message)])
    if request.comments.count() >= COMMENTS_PER_REQUEST:
        raise ApplicationError(
            _("at most %(n)s comments on one draft") % {"n": COMMENTS_PER_REQUEST}
        )
    return MentorComment.objects.create(request=request, field_key=field_key, text=text)
