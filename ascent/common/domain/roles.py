"""Roles that map onto Django groups (used by the admin until the staff workspace exists)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

STAFF_GROUP = "Program staff"
STAFF_APPS = ("programs", "applications", "review", "decisions")


@transaction.atomic
def ensure_staff_group() -> Group:
    """Create or refresh the staff group: every permission on the program data, and
    read-only access to the audit log and jobs; no permission on users or groups."""
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
    audit = Permission.objects.filter(
        content_type__app_label="common",
        codename__in=[
            "view_auditevent",
            "view_job",
            "view_outboxmessage",
            "view_apitoken",
            "change_apitoken",
        ],
    )
    group.permissions.set(list(permissions) + list(audit))
    return group
