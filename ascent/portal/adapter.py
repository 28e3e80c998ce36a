"""allauth's e-mails (verification, password reset) name the site by its setting."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Greets with ASCENT_SITE_NAME ("Hello from Ascent"), never with the host and port
    the request came to ("Hello from 127.0.0.1:8101")."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        site = SimpleNamespace(name=settings.SITE_NAME, domain=settings.SITE_URL)
        super().send_mail(template_prefix, email, {**context, "current_site": site})


def user_display(user) -> str:
    """A person is their e-mail address: never the internal user name."""
    return user.email or user.get_username()
