from django.contrib import admin

from ascent.common.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Assignment,
    Bid,
    Conflict,
    Review,
    Reviewer,
    Score,
    Shortlisted,
    TextEmbedding,
)


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["display_name", "program", "organisation", "load_limit", "active"]
    list_filter = ["active", "program"]
    search_fields = ["display_name", "user__email", "organisation"]
    list_select_related = ["program"]
    raw_id_fields = ["user"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "applicant", "source", "reason", "created_at"]
    list_filter = ["source"]
    search_fields = ["reviewer__display_name", "applicant__display_name"]
    list_select_related = ["reviewer", "applicant"]
    raw_id_fields = ["reviewer", "applicant"]


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    """A reviewer's own wishes: they change them on their bidding page, not here."""

    list_display = ["reviewer", "application", "level", "updated_at"]
    list_filter = ["level"]
    search_fields = ["reviewer__display_name", "application__receipt"]
    list_select_related = ["reviewer", "application"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "application", "stage", "affinity", "locked"]
    list_filter = ["locked", "stage__kind", "stage__cycle"]
    search_fields = ["reviewer__display_name", "application__receipt"]
    list_select_related = [
        "reviewer",
        "application__applicant",
        "application__cycle__program",
        "stage",
    ]
    raw_id_fields = ["reviewer", "application", "stage"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Only "locked" changes by hand: moving an assignment would move its review.
        return ["reviewer", "application", "stage", "affinity"] if obj is not None else []


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ["criterion", "value"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Reviews and their scores are written by the reviewer (``submit_review``), never here."""

    list_display = ["assignment", "state", "confidence", "submitted_at"]
    list_filter = ["state"]
    search_fields = ["assignment__reviewer__display_name", "assignment__application__receipt"]
    list_select_related = [
        "assignment__reviewer",
        "assignment__application__applicant",
        "assignment__application__cycle__program",
    ]
    raw_id_fields = ["assignment"]
    inlines = [ScoreInline]
    show_full_result_count = False


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["review", "criterion", "value"]
    list_filter = ["criterion__key"]
    search_fields = ["review__assignment__application__receipt"]
    list_select_related = [
        "criterion",
        "review__assignment__reviewer",
        "review__assignment__application__applicant",
        "review__assignment__application__cycle__program",
    ]
    raw_id_fields = ["review", "criterion"]
    show_full_result_count = False


@admin.register(Shortlisted)
class ShortlistedAdmin(admin.ModelAdmin):
    """Made from the ranking by the staff desk's "Shortlist" action; editable by hand."""

    list_display = ["stage", "rank", "application", "created_at"]
    list_filter = ["stage__cycle", "stage"]
    list_select_related = ["stage__cycle", "application__applicant"]
    raw_id_fields = ["application"]


@admin.register(TextEmbedding)
class TextEmbeddingAdmin(ReadOnlyAdmin):
    list_display = ["model", "digest", "created_at"]
    list_filter = ["model"]
