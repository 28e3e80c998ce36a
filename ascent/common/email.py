"""E-mail: the development outbox backend, and sending templated messages."""

from __future__ import annotations

import re
import unicodedata
from email.utils import parseaddr

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

NAME_MAX_CHARS = 80  # a person's name in a subject or a greeting
SUBJECT_MAX_CHARS = 200
_DOT = r"[.\u3002]"  # and the ideographic full stop, which IDNA reads as a dot
# A web address: with a scheme, "www.", a dotted IPv4, or anything shaped like a domain
# name (labels of two or more characters and a top-level part of letters, "bank.example").
_ADDRESS = re.compile(
    rf"[a-z][a-z0-9+.-]*://\S*|www{_DOT}\S*|\b\d{{1,3}}(?:{_DOT}\d{{1,3}}){{3}}\b\S*"
    rf"|[\w-]{{2,}}(?:{_DOT}[\w-]{{2,}})*{_DOT}(?:[^\W\d_]{{2,63}}|xn--[\w-]+)\b\S*"
    # one-letter names on the short domains link shorteners use (t.co, x.com), which a
    # mail client turns into links; "M.Sc." and "J. R. R." stay names
    rf"|\b\w{_DOT}(?:co|com|net|org|io|ly|me|gl|gg|ai|to|cc|tv|app|xyz|link|info|biz)\b\S*",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class OutboxBackend(BaseEmailBackend):
    """Keeps each message in the OutboxMessage table instead of sending it."""

    def send_messages(self, email_messages) -> int:
        from ascent.common.models import OutboxMessage

        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = content
            OutboxMessage.objects.create(
                to=", ".join(message.to), subject=message.subject[:300], body=message.body,
                html=html,
            )  # fmt: skip
        return len(email_messages)


def send_templated(template: str, context: dict, to: list[str]) -> None:
    """Send ``{template}_subject.txt``, ``.txt`` and ``.html`` once the transaction commits
    (no e-mail about a change that was rolled back). The message is rendered here and
    sent by a background task: a slow or unreachable mail server never holds up, or
    fails, the request that made the change (with ASCENT_TASKS=immediate it is sent at
    once, in this process).

    With the database task queue the task is written in the change's own transaction
    (a transactional outbox): a process killed just after the commit cannot lose the
    e-mail, and a rolled-back change leaves none."""
    from django.utils import timezone

    from ascent.common.tasks import send_email_task

    with timezone.override(_recipient_zone(to)):  # times in the reader's zone, or UTC
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())
        subject = subject[:SUBJECT_MAX_CHARS]
        text = render_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    if _queue_is_this_database() and transaction.get_connection().in_atomic_block:
        send_email_task.enqueue(subject, text, html, list(to))
    else:
        transaction.on_commit(lambda: send_email_task.enqueue(subject, text, html, list(to)))


def _recipient_zone(to: list[str]):
    """The zone the one recipient's browser last gave the site; UTC otherwise."""
    import datetime as dt

    from ascent.common.models import Preference
    from ascent.common.reader_zone import zone_of

    if len(to) != 1:
        return dt.UTC
    name = (Preference.objects.filter(user__email__iexact=to[0])
            .values_list("time_zone", flat=True).first())  # fmt: skip
    return zone_of(name or "") or dt.UTC


def render_text(template: str, context: dict) -> str:
    """A plain-text part or subject: rendered without HTML escaping, so "O'Brien" stays
    "O'Brien" (the HTML part, rendered by ``render_to_string``, stays escaped)."""
    return get_template(template).template.render(Context(context, autoescape=False))


def mail_name(value: str) -> tuple[str, bool]:
    """A person's name made fit for a subject, a header or a greeting: line breaks and
    control characters become spaces, web addresses and domain names are cut out, and
    the rest is at most NAME_MAX_CHARS. Returns the name and whether an address was cut.

    Addresses are looked for in the NFKC form without invisible characters, so that
    "bank\u200b.example" or a full-width dot does not slip through."""
    name = " ".join(_CONTROL.sub(" ", value or "").split())
    probe = "".join(
        c for c in unicodedata.normalize("NFKC", name) if unicodedata.category(c) != "Cf"
    )
    cut = _ADDRESS.search(probe) is not None
    if cut:
        name = " ".join(_ADDRESS.sub(" ", probe).split())
    if len(name) > NAME_MAX_CHARS:
        name = name[: NAME_MAX_CHARS - 1].rstrip() + "…"
    return name, cut


def abuse_address() -> str:
    """Where a recipient reports an e-mail they did not want: ASCENT_ABUSE_EMAIL, or
    the address the site sends from."""
    return getattr(settings, "ASCENT_ABUSE_EMAIL", "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _queue_is_this_database() -> bool:
    from django_tasks import task_backends

    return type(task_backends["default"]).__module__.startswith("django_tasks_db")
