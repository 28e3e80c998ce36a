"""Shared bits: the audit log, permission helpers, base templates."""
