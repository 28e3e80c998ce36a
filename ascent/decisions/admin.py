from django.contrib import admin

from .models import Decision, DecisionRun, Offer


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["application", "outcome", "rank", "composite", "p_selected", "borderline",
                    "released_at"]  # fmt: skip
    list_filter = ["outcome", "borderline", "application__cycle"]
    search_fields = ["application__receipt", "application__applicant__display_name"]
    list_select_related = ["application__applicant", "application__cycle__program"]
    raw_id_fields = ["application", "run"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None) -> bool:
        # Decisions are computed by a run and, once released, change only with a reason
        # (the staff desk's "change" page), never by editing a row here.
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DecisionRun)
class DecisionRunAdmin(admin.ModelAdmin):
    """Read-only: a run is the record of how decisions were computed."""

    list_display = ["cycle", "created_at", "model_version", "inputs_digest", "created_by"]
    list_filter = ["cycle"]
    list_select_related = ["cycle__program", "created_by"]
    exclude = ["inputs"]  # the NumPy archive; reproduce_run reads it

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    """Read-only: offers move through the applicant's answers and the waitlist."""

    list_display = [
        "decision",
        "state",
        "offered_at",
        "respond_by",
        "responded_at",
        "promoted_from",
    ]
    list_filter = ["state"]
    list_select_related = ["decision__application__applicant"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
