"""Accounts made from an invitation (to a review panel, to a program's team)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


def invited_account(email: str, name: str = "") -> tuple[object, bool]:
    """The account of ``email``, made when there is none: no password (the invitation
    links to choosing one) and the address verified (the invitation went to it).
    Returns (user, created)."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User(username=email, email=email, first_name=name[:150])
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True
