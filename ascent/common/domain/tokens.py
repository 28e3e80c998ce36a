"""Personal API tokens: made (the secret shown once), checked, revoked."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from ascent.common.domain.audit import record
from ascent.common.models import ApiToken


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user, name: str) -> tuple[ApiToken, str]:
    prefix = secrets.token_hex(4)
    secret = f"asc_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=(name or "token")[:100], prefix=prefix,
                                    key_hash=_hash(secret))  # fmt: skip
    record(user, "api_token.created", token)
    return token, secret


def user_for_token(secret: str):
    """The active user of a live token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(secret or ""), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def revoke_token(token: ApiToken, *, by) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        record(by, "api_token.revoked", token)
