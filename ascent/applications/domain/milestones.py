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
