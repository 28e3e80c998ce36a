"""Background tasks of the common app: sending e-mail outside the request."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email_task(subject: str, text: str, html: str, to: list[str]) -> int:
    """Send one message (text with an HTML alternative); returns the number sent."""
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    return message.send()
