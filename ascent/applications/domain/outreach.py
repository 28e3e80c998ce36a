"""What an applicant may make Ascent send to other people: reference requests and
supporter invitations.

Anyone can sign up, so these e-mails must not become a way to send spam in Ascent's
name: a few a day and a bounded number in all, counted in the database (every web
worker sees the same count), names without web addresses, and each message says who
asked for it and how to report it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ascent.applications.models import Applicant, Application, Reference, Supporter
from ascent.common.email import NAME_MAX_CHARS, abuse_address, mail_name

from .errors import ApplicationError

# Fixed here rather than per program: no real applicant needs more, and a spammer
# gets little from this many.
REFERENCES_PER_APPLICATION = 10
REFERENCE_REQUESTS_PER_DAY = 5
INVITATIONS_PER_DAY = 10
SUPPORTERS_AT_ONCE = 30
DAY = dt.timedelta(days=1)


def check_name(value: str, field: str = "name") -> str:
    """A person's name as it will appear in an e-mail's subject and greeting: one line,
    at most NAME_MAX_CHARS, and no web address or domain name in it."""
    typed = " ".join((value or "").split())
    if len(typed) > NAME_MAX_CHARS:
        raise ApplicationError.at(field, _("at most %(n)s characters") % {"n": NAME_MAX_CHARS})
    name, had_address = mail_name(typed)
    if had_address:
        raise ApplicationError.at(field, _("a name cannot contain a web address or a domain name"))
    if not name:
        raise ApplicationError.at(field, _("say who this is"))
    return name


def check_reference_quota(application: Application, now: dt.datetime) -> None:
    """Refuse a reference request over the limits; call with the applicant locked."""
    if application.references.count() >= REFERENCES_PER_APPLICATION:
        raise ApplicationError(
            _("an application can have at most %(n)s reference requests")
            % {"n": REFERENCES_PER_APPLICATION}
        )
    check_reference_mail_quota(application, now)


def check_reference_mail_quota(application: Application, now: dt.datetime) -> None:
    """At most REFERENCE_REQUESTS_PER_DAY e-mails to recommenders in any 24 hours,
    requests and reminders together."""
    mine = Reference.objects.filter(application__applicant_id=application.applicant_id)
    recent = mine.filter(requested_at__gt=now - DAY)
    reminded = mine.filter(reminded_at__gt=now - DAY).count()
    if recent.count() + reminded >= REFERENCE_REQUESTS_PER_DAY:
        raise ApplicationError(
            _("at most %(n)s reference requests in 24 hours; you can ask again after %(when)s")
            % {"n": REFERENCE_REQUESTS_PER_DAY, "when": _next_free(recent, "requested_at")}
        )


def check_invitation_quota(applicant: Applicant, now: dt.datetime) -> None:
    """Refuse a supporter invitation over the limits; call with the applicant locked."""
    supporters = Supporter.objects.filter(applicant=applicant)
    if supporters.filter(revoked_at__isnull=True).count() >= SUPPORTERS_AT_ONCE:
        full = _("at most %(n)s people can follow your journey at once; stop sharing with "
                 "someone first")  # fmt: skip
        raise ApplicationError(full % {"n": SUPPORTERS_AT_ONCE})
    recent = supporters.filter(invited_at__gt=now - DAY)
    if recent.count() >= INVITATIONS_PER_DAY:
        raise ApplicationError(
            _("at most %(n)s invitations in 24 hours; you can invite again after %(when)s")
            % {"n": INVITATIONS_PER_DAY, "when": _next_free(recent, "invited_at")}
        )


def _next_free(recent: QuerySet, field: str) -> str:
    oldest = recent.aggregate(oldest=Min(field))["oldest"]
    return f"{timezone.localtime(oldest + DAY):%Y-%m-%d %H:%M %Z}"


def lock_applicant(applicant: Applicant) -> None:
    """Hold the applicant's row until the transaction ends, so that two requests at once
    cannot both pass a limit (SQLite serialises writers anyway)."""
    Applicant.objects.select_for_update().filter(pk=applicant.pk).first()


def sender_context(applicant: Applicant) -> dict:
    """Who asked Ascent to send an e-mail to someone else, for its templates."""
    return {
        "sender_name": mail_name(applicant.display_name)[0] or _("An applicant"),
        "sender_email": applicant.user.email,
        "abuse_email": abuse_address(),
    }
