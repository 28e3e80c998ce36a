"""E-mail: the development outbox backend, and sending templated messages."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

SUBJECT_MAX_CHARS = 200


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
    from ascent.common.tasks import send_email_task

    subject = " ".join(render_text(f"{template}_subject.txt", context).split())
    subject = subject[:SUBJECT_MAX_CHARS]
    text = render_text(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    if _queue_is_this_database() and transaction.get_connection().in_atomic_block:
        send_email_task.enqueue(subject, text, html, list(to))
    else:
        transaction.on_commit(lambda: send_email_task.enqueue(subject, text, html, list(to)))


def render_text(template: str, context: dict) -> str:
    """A plain-text part or subject: rendered without HTML escaping, so "O'Brien" stays
    "O'Brien" (the HTML part, rendered by ``render_to_string``, stays escaped)."""
    return get_template(template).template.render(Context(context, autoescape=False))


def _queue_is_this_database() -> bool:
    from django_tasks import task_backends

    return type(task_backends["default"]).__module__.startswith("django_tasks_db")
