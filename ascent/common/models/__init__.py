from .audit import AuditEvent

__all__ = ["AuditEvent"]
