"""Personal API tokens: made (the secret shown once), checked, revoked."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from ascent.common.domain.audit import record
from ascent.common.models import ApiToken, TokenRole


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenError(Exception):
    """A token that cannot be made as asked; the message says why."""


def create_token(user, name: str, *, role: str = TokenRole.ALL, read_only: bool = False
                 ) -> tuple[ApiToken, str]:  # fmt: skip
    """A token acting as ``user``: as one of their roles only when ``role`` is given, and
    only reading when ``read_only``. A role the user does not have is refused."""
    from ascent.common.permissions import is_staff

    if role not in TokenRole.values:
        raise TokenError(f"role: choose one of {', '.join(v for v in TokenRole.values if v)}")
    if role == TokenRole.STAFF and not is_staff(user):
        raise TokenError(f"role: {user.email} is not staff")
    prefix = secrets.token_hex(4)
    secret = f"asc_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=(name or "token")[:100], prefix=prefix,
                                    key_hash=_hash(secret), role=role, read_only=read_only)  # fmt: skip
    record(user, "api_token.created", token, role=role or "all", read_only=read_only)
    return token, secret


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token of an active user, or None (its user selected)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(secret or ""), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def user_for_token(secret: str):
    """The active user of a live token, or None."""
    token = token_for_secret(secret)
    return token.user if token is not None else None


def revoke_token(token: ApiToken, *, by) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        record(by, "api_token.revoked", token)
