from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ascent.common.admin import PrivateAdmin, ReadOnlyAdmin, ReadOnlyInline

from .domain.screening import override_eligibility
from .models import (
    Applicant,
    Application,
    ApplicationStatus,
    ApplicationTransition,
    CheckIn,
    Eligibility,
    FeedbackRequest,
    Goal,
    MentorComment,
    Reference,
    Reminder,
    StoredFile,
    Supporter,
    SupporterLink,
    SupporterNote,
)


@admin.register(Applicant)
class ApplicantAdmin(admin.ModelAdmin):
    list_display = ["display_name", "organisation", "user", "created_at"]
    search_fields = ["display_name", "user__email", "organisation"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


class TransitionInline(ReadOnlyInline):
    model = ApplicationTransition
    fields = ["at", "from_status", "to_status", "by", "reason"]


class ReferenceInline(ReadOnlyInline):
    model = Reference
    fields = ["recommender_name", "relationship", "state", "submitted_at"]
    show_change_link = True


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Viewable, not editable: answers change in the applicant's draft and statuses through
    the domain (with who and why). Only a draft may be deleted; a submitted application
    is part of the record (it is withdrawn, not deleted)."""

    list_display = ["receipt", "applicant", "cycle", "status", "submitted_at"]
    list_filter = ["status", "cycle__program", "cycle"]
    search_fields = ["receipt", "applicant__display_name", "applicant__user__email"]
    list_select_related = ["applicant", "cycle__program"]
    raw_id_fields = ["applicant", "previous"]
    autocomplete_fields = ["cycle"]
    inlines = [TransitionInline, ReferenceInline]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == ApplicationStatus.DRAFT)


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyAdmin):
    """Letters are the recommender's, requests the applicant's (both audited)."""

    list_display = ["recommender_name", "relationship", "state", "application", "submitted_at"]
    list_filter = ["state", "relationship"]
    search_fields = ["recommender_name", "recommender_email", "application__receipt"]
    list_select_related = ["application__applicant", "application__cycle__program"]
    show_full_result_count = False


@admin.register(Supporter)
class SupporterAdmin(ReadOnlyAdmin):
    """Who follows, and whether they see the gap reports, is the applicant's choice."""

    list_display = ["name", "relationship", "applicant", "invited_at", "is_active"]
    list_filter = ["relationship"]
    search_fields = ["name", "email", "applicant__display_name"]
    list_select_related = ["applicant"]

    @admin.display(boolean=True, description=_("active"))
    def is_active(self, obj: Supporter) -> bool:
        return obj.revoked_at is None


@admin.register(ApplicationTransition)
class ApplicationTransitionAdmin(ReadOnlyAdmin):
    """Status changes are written by the domain, with who and why."""

    list_display = ["application", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["application__receipt", "reason"]
    list_select_related = ["application__applicant", "application__cycle__program", "by"]
    show_full_result_count = False


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    """Uploads are written by the domain (drafts, reuse, erasure); where the bytes lie
    is never shown, and the file itself is read through the application's pages."""

    list_display = [
        "original_name",
        "field_key",
        "application",
        "size",
        "content_type",
        "created_at",
    ]
    search_fields = ["application__receipt", "original_name"]
    exclude = ["storage_name"]
    list_select_related = ["application__applicant", "application__cycle__program"]
    show_full_result_count = False


@admin.register(Eligibility)
class EligibilityAdmin(admin.ModelAdmin):
    """Screening results are written by screening; staff may only overrule them, with a reason."""

    list_display = ["application", "eligible", "override", "screened_on", "screened_at"]
    list_filter = ["eligible", "override", "application__cycle"]
    search_fields = ["application__receipt", "application__applicant__display_name"]
    list_select_related = ["application__applicant", "application__cycle__program"]
    fields = [
        "application", "eligible", "failed", "explanation", "screened_on", "screened_at",
        "rules_digest", "override", "override_reason", "overridden_by",
    ]  # fmt: skip
    readonly_fields = [
        "application", "eligible", "failed", "explanation", "screened_on", "screened_at",
        "rules_digest", "overridden_by",
    ]  # fmt: skip
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj: Eligibility, form, change: bool) -> None:
        # Through the domain, so the status follows and the change is audited.
        override_eligibility(obj.application, eligible=obj.override,
                             reason=obj.override_reason, by=request.user)  # fmt: skip


@admin.register(Goal)
class GoalAdmin(PrivateAdmin):
    list_display = ("title", "applicant", "program", "target_date", "done_at")


@admin.register(CheckIn)
class CheckInAdmin(PrivateAdmin):
    list_display = ("applicant", "program", "at")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("applicant", "cycle", "kind", "sent_at")


@admin.register(SupporterNote)
class SupporterNoteAdmin(PrivateAdmin):
    list_display = ("supporter", "created_at", "hidden_at")


@admin.register(SupporterLink)
class SupporterLinkAdmin(PrivateAdmin):
    list_display = ("supporter", "created_at")
    exclude = ("token_hash",)


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(PrivateAdmin):
    list_display = ("application", "mentor", "created_at", "closed_at")


@admin.register(MentorComment)
class MentorCommentAdmin(PrivateAdmin):
    list_display = ("request", "field_key", "created_at")
