"""Writing the audit log. Domain functions call ``record`` inside their transaction."""

from typing import Any

from django.db import models

from ascent.common.models import AuditEvent


def record(actor, verb: str, target: models.Model | None = None, **data: Any) -> AuditEvent:
    """Append one event; ``actor`` is a user or None for the system."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )
