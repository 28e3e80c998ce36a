from django.contrib import admin

from .models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["application", "outcome", "rank", "composite", "released_at"]
    list_filter = ["outcome", "application__cycle"]
    search_fields = ["application__receipt", "application__applicant__display_name"]
    list_select_related = ["application__applicant", "application__cycle__program"]
    raw_id_fields = ["application"]
    show_full_result_count = False
