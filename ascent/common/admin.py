from django.contrib import admin

from .models import ApiToken, AuditEvent, Job, OutboxMessage, Preference


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never added, changed or deleted in the admin: the domain function that
    changes these rows asks for a reason and writes the audit event; a row edited here
    would do neither. A delete elsewhere that would cascade to them is refused too."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PrivateAdmin(ReadOnlyAdmin):
    """The applicant's own things (their plan, check-ins, the notes and comments their
    supporters and mentors write them): no program staff member reads them, in the
    admin either; only the operator's superuser can, read-only."""

    private = True

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)


class SuperuserChanges:
    """For an admin or inline whose rows only the operator's superusers add, change or
    delete (a program's team and roles); staff may still read them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class ReadOnlyInline(admin.TabularInline):
    """The inline form of ReadOnlyAdmin."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is appended to by the domain, never edited."""

    list_display = ["at", "verb", "target_type", "target_id", "actor"]
    list_filter = ["verb", "target_type"]
    search_fields = ["verb", "target_id", "actor__email"]
    list_select_related = ["actor"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs are created and updated by the tasks that run them."""

    list_display = ["created_at", "kind", "target_type", "target_id", "state", "done", "total"]
    list_filter = ["kind", "state"]
    search_fields = ["target_id", "error"]
    list_select_related = ["created_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: the development outbox (also at /outbox/)."""

    list_display = ["sent_at", "subject", "to"]
    search_fields = ["subject", "to"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made with `ascent api_token`; here they are seen and revoked."""

    list_display = ["name", "prefix", "user", "role", "read_only", "created_at", "last_used_at",
                    "revoked_at"]  # fmt: skip
    search_fields = ["name", "prefix", "user__email"]
    fields = ["name", "prefix", "user", "role", "read_only", "created_at", "last_used_at",
              "revoked_at"]  # fmt: skip
    readonly_fields = ["name", "prefix", "user", "role", "read_only", "created_at", "last_used_at"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(PrivateAdmin):
    list_display = ("user", "time_zone")
