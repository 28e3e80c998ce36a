"""E-mail: the development outbox backend, and sending templated messages."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string


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
    (no e-mail about a change that was rolled back)."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)

    def send() -> None:
        message = EmailMultiAlternatives(subject, text, to=to)
        message.attach_alternative(html, "text/html")
        message.send()

    transaction.on_commit(send)
