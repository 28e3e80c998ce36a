"""Private links for people without an account: recommenders and supporters.

A link carries a long random token; only its SHA-256 is stored, so a copy of the
database opens nothing. Each link opens one thing: its own letter, or its own journey.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ascent.applications.models import (
    Applicant,
    Application,
    ApplicationStatus,
    Reference,
    ReferenceState,
    Relationship,
    Supporter,
)
from ascent.common.domain.audit import record
from ascent.common.email import mail_name, send_templated

from .errors import ApplicationError
from .outreach import (
    check_invitation_quota,
    check_name,
    check_reference_mail_quota,
    check_reference_quota,
    lock_applicant,
    sender_context,
)

S = ApplicationStatus
REMINDER_GAP = dt.timedelta(days=1)
LETTER_MAX_BYTES = 5 * 1024 * 1024
LETTER_MAX_CHARS = 20_000


class LinkError(Exception):
    """A link that does not open (unknown, expired, revoked); the message is for people."""


def too_large(size: int, limit: int) -> str:
    return _("the file is %(size)s MB; the limit is %(limit)s MB") % {
        "size": f"{size / 1e6:.1f}", "limit": f"{limit / 1e6:.0f}"}  # fmt: skip


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_person(name: str, email: str) -> tuple[str, str]:
    email = (email or "").strip().lower()
    problems = []
    try:
        name = check_name(name)
    except ApplicationError as error:
        problems += error.problems
    try:
        validate_email(email)
    except ValidationError:
        problems.append(("email", _("enter a valid e-mail address")))
    if problems:
        raise ApplicationError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    return name, email


# -- references -----------------------------------------------------------------------


def request_reference(application: Application, *, name: str, email: str, relationship: str,
                      by, base_url: str = "") -> tuple[Reference, str]:  # fmt: skip
    """Ask a recommender for a letter; e-mails them a private link. Returns the reference
    and the token (shown nowhere else). Refused over the limits of ``outreach``."""
    name, email = _check_person(name, email)
    if relationship not in Relationship.values:
        raise ApplicationError(_("relationship: choose teacher, supervisor, mentor or other"),
                               problems=[("relationship", _("choose one of the list"))])  # fmt: skip
    if (
        application.status not in (S.DRAFT, S.SUBMITTED)
        or timezone.now() > application.cycle.deadline
    ):
        raise ApplicationError(_("references can be requested until the deadline"))
    if application.references.filter(recommender_email=email).exists():
        raise ApplicationError(_("email: %(email)s was already asked for this application")
                               % {"email": email},
                               problems=[("email", _("already asked for this application"))])  # fmt: skip
    previous = (
        Reference.objects.filter(application__applicant=application.applicant,
                                 recommender_email=email, state=ReferenceState.SUBMITTED)
        .exclude(application=application).order_by("-submitted_at").first()
    )  # fmt: skip
    token, digest = new_token()
    now = timezone.now()
    with transaction.atomic():
        lock_applicant(application.applicant)
        check_reference_quota(application, now)
        reference = Reference.objects.create(
            application=application, recommender_name=name, recommender_email=email,
            relationship=relationship, token_hash=digest, requested_at=now, previous=previous,
            letter=previous.letter if previous else "",
        )  # fmt: skip
        record(by, "reference.requested", reference, application=application.pk)
        _send_letter_link(reference, token, base_url)
    return reference, token


def remind_reference(reference: Reference, *, by, base_url: str = "",
                     now: dt.datetime | None = None) -> str:  # fmt: skip
    """Send the link again (a new one: the old stops working); at most once a day."""
    now = now or timezone.now()
    if reference.state == ReferenceState.SUBMITTED:
        raise ApplicationError(_("this letter is already in"))
    last = reference.reminded_at or reference.requested_at
    if now - last < REMINDER_GAP:
        wait = last + REMINDER_GAP
        raise ApplicationError(_("a reminder can be sent once a day; the next after %(when)s")
                               % {"when": f"{timezone.localtime(wait):%Y-%m-%d %H:%M %Z}"})  # fmt: skip
    if now > reference.application.cycle.deadline:
        raise ApplicationError(_("the deadline has passed"))
    check_reference_mail_quota(reference.application, now)
    token, digest = new_token()
    with transaction.atomic():
        Reference.objects.filter(pk=reference.pk).update(token_hash=digest, reminded_at=now)
        reference.token_hash, reference.reminded_at = digest, now
        record(by, "reference.reminded", reference)
        _send_letter_link(reference, token, base_url)
    return token


def _send_letter_link(reference: Reference, token: str, base_url: str) -> None:
    application = reference.application
    context = {
        "reference": reference, "cycle": application.cycle,
        "recipient_name": mail_name(reference.recommender_name)[0],
        "link": (base_url or settings.SITE_URL) + reverse("portal:letter", args=[token]),
    }  # fmt: skip
    context |= sender_context(application.applicant)
    send_templated("applications/email/reference_request", context, [reference.recommender_email])


def reference_for_token(token: str, *, now: dt.datetime | None = None) -> Reference:
    """The reference this link opens; LinkError when it opens nothing any more."""
    now = now or timezone.now()
    reference = (
        Reference.objects.select_related("application__cycle__program", "application__applicant")
        .filter(token_hash=token_hash(token or "")).first()
    )  # fmt: skip
    if reference is None:
        raise LinkError("This link does not open a letter. It may have been replaced by a newer "
                        "reminder: please use the latest e-mail.")  # fmt: skip
    if reference.state != ReferenceState.SUBMITTED and now > reference.application.cycle.deadline:
        raise LinkError("This link has expired: the cycle's deadline has passed.")
    return reference


def save_letter(reference: Reference, *, text: str, upload=None, submit: bool,
                now: dt.datetime | None = None) -> Reference:  # fmt: skip
    """Save (or submit) the letter: text, and optionally a PDF. Refused after submission."""
    now = now or timezone.now()
    if reference.state == ReferenceState.SUBMITTED:
        raise ApplicationError(_("this letter was submitted and can no longer change"))
    text = (text or "").strip()
    problems = []
    if len(text) > LETTER_MAX_CHARS:
        problems.append(("letter", _("at most %(n)s characters") % {"n": f"{LETTER_MAX_CHARS:,}"}))
    if upload is not None:
        problems += _check_pdf(upload)
    if submit and not text and upload is None and not reference.letter_file:
        problems.append(("letter", _("write the letter or upload it as a PDF")))
    if problems:
        raise ApplicationError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    reference.letter = text
    if upload is not None:
        upload.seek(0)
        reference.letter_file.save(f"{secrets.token_hex(16)}.pdf", upload, save=False)
    if submit:
        reference.state, reference.submitted_at = ReferenceState.SUBMITTED, now
    elif reference.state == ReferenceState.REQUESTED:
        reference.state = ReferenceState.OPENED
    reference.save()
    if submit:
        record(None, "reference.submitted", reference)
    return reference


def _check_pdf(upload) -> list[tuple[str, str]]:
    """Type by content, not by name: a PDF starts with %PDF-."""
    if upload.size > LETTER_MAX_BYTES:
        return [("letter_file", too_large(upload.size, LETTER_MAX_BYTES))]
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        return [("letter_file", _("this file is not a PDF"))]
    return []


def mark_opened(reference: Reference) -> None:
    if reference.state == ReferenceState.REQUESTED:
        Reference.objects.filter(pk=reference.pk, state=ReferenceState.REQUESTED).update(
            state=ReferenceState.OPENED
        )
        reference.state = ReferenceState.OPENED


# -- supporters -----------------------------------------------------------------------


def invite_supporter(applicant: Applicant, *, name: str, email: str, relationship: str = "",
                     shares_gap_reports: bool = False, shares_milestones: bool = False,
                     shares_outcomes: bool = False, is_mentor: bool = False,
                     base_url: str = "") -> tuple[Supporter, str]:  # fmt: skip
    """Invite someone to follow the applicant's journey; e-mails them a private link.
    Refused over the limits of ``outreach``."""
    name, email = _check_person(name, email)
    token, digest = new_token()
    now = timezone.now()
    try:
        with transaction.atomic():
            lock_applicant(applicant)
            check_invitation_quota(applicant, now)
            supporter = Supporter.objects.create(
                applicant=applicant, name=name, email=email, relationship=relationship[:100],
                token_hash=digest, shares_gap_reports=shares_gap_reports, invited_at=now,
                shares_milestones=shares_milestones, shares_outcomes=shares_outcomes,
                is_mentor=is_mentor,
            )  # fmt: skip
            record(applicant.user, "supporter.invited", supporter)
            context = {
                "supporter": supporter, "recipient_name": name,
                "link": (base_url or settings.SITE_URL) + reverse("portal:follow", args=[token]),
            }  # fmt: skip
            context |= sender_context(applicant)
            send_templated("applications/email/supporter_invite", context, [email])
    except IntegrityError:  # pragma: no cover - a token collision: 256 random bits
        raise ApplicationError(_("please try again")) from None
    return supporter, token


def revoke_supporter(supporter: Supporter, *, by) -> None:
    if supporter.revoked_at is None:
        Supporter.objects.filter(pk=supporter.pk).update(revoked_at=timezone.now())
        record(by, "supporter.revoked", supporter)


def supporter_for_token(token: str) -> Supporter:
    digest = token_hash(token or "")
    supporter = Supporter.objects.select_related("applicant").filter(token_hash=digest).first()
    if supporter is None:  # a link from a milestone e-mail
        from ascent.applications.models import SupporterLink

        link = SupporterLink.objects.select_related("supporter__applicant").filter(
            token_hash=digest).first()  # fmt: skip
        supporter = link.supporter if link is not None else None
    if supporter is None or supporter.revoked_at is not None:
        raise LinkError("This link no longer opens a journey: the applicant has stopped sharing "
                        "it, or it was never valid.")  # fmt: skip
    return supporter
