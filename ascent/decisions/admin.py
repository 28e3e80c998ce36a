from django.contrib import admin

from ascent.common.admin import ReadOnlyAdmin

from .models import Decision, DecisionRun, Offer


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Decisions are computed by a run and, once released, change only with a reason (the
    staff desk's "change" page, ``change_decision``), never by editing a row here."""

    list_display = ["application", "outcome", "rank", "composite", "p_selected", "borderline",
                    "released_at"]  # fmt: skip
    list_filter = ["outcome", "borderline", "application__cycle"]
    search_fields = ["application__receipt", "application__applicant__display_name"]
    list_select_related = ["application__applicant", "application__cycle__program"]
    raw_id_fields = ["application", "run"]
    show_full_result_count = False


@admin.register(DecisionRun)
class DecisionRunAdmin(ReadOnlyAdmin):
    """A run is the record of how decisions were computed."""

    list_display = ["cycle", "created_at", "model_version", "inputs_digest", "created_by"]
    list_filter = ["cycle"]
    list_select_related = ["cycle__program", "created_by"]
    exclude = ["inputs"]  # the NumPy archive; reproduce_run reads it


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    """Offers move through the applicant's answers and the waitlist."""

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
