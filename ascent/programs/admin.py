from django.contrib import admin

from .models import Criterion, Cycle, FormField, Program, Quota, Requirement, Stage


class CycleInline(admin.TabularInline):
    # Deleting it here would take the reviews, scores and decisions with it, unchecked:
    # the record is deleted (or not) through its own page, which checks what it takes.
    can_delete = False
    model = Cycle
    fields = ["name", "slug", "opens_at", "deadline", "capacity", "state"]
    extra = 0
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "slug", "created_at"]
    search_fields = ["name", "organisation", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["team"]
    inlines = [CycleInline]

    def get_readonly_fields(self, request, obj=None):
        """Only the operator's superusers choose a program's team: a staff member cannot
        add themselves to another team's program."""
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, "team"]


class FormFieldInline(admin.TabularInline):
    model = FormField
    fields = ["position", "key", "label", "kind", "required"]
    extra = 0
    show_change_link = True


class RequirementInline(admin.TabularInline):
    model = Requirement
    fields = ["position", "key", "name"]
    extra = 0
    show_change_link = True


class CriterionInline(admin.TabularInline):
    # Deleting it here would take the reviews, scores and decisions with it, unchecked:
    # the record is deleted (or not) through its own page, which checks what it takes.
    can_delete = False
    model = Criterion
    fields = ["position", "key", "name", "weight", "scale_min", "scale_max"]
    extra = 0
    show_change_link = True


class StageInline(admin.TabularInline):
    # Deleting it here would take the reviews, scores and decisions with it, unchecked:
    # the record is deleted (or not) through its own page, which checks what it takes.
    can_delete = False
    model = Stage
    fields = ["position", "key", "name", "kind", "reviews_per_application"]
    extra = 0


class QuotaInline(admin.TabularInline):
    model = Quota
    fields = ["field", "value", "minimum", "maximum"]
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "state", "opens_at", "deadline", "capacity"]
    list_filter = ["state", "program"]
    search_fields = ["name", "program__name"]
    list_select_related = ["program"]
    date_hierarchy = "deadline"
    inlines = [StageInline, CriterionInline, RequirementInline, QuotaInline, FormFieldInline]


@admin.register(FormField)
class FormFieldAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "kind", "required", "cycle", "position"]
    list_filter = ["kind", "required", "cycle__program"]
    search_fields = ["label", "key", "cycle__name"]
    list_select_related = ["cycle__program"]
    autocomplete_fields = ["cycle"]


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "cycle", "position"]
    list_filter = ["cycle__program"]
    search_fields = ["name", "key", "description", "cycle__name"]
    list_select_related = ["cycle__program"]
    autocomplete_fields = ["cycle"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "weight", "scale_min", "scale_max", "cycle"]
    list_filter = ["cycle__program"]
    search_fields = ["name", "key", "cycle__name"]
    list_select_related = ["cycle__program"]
    autocomplete_fields = ["cycle"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cycle", "position", "reviews_per_application"]
    list_filter = ["kind", "cycle__program"]
    search_fields = ["name", "cycle__name"]
    list_select_related = ["cycle__program"]
    autocomplete_fields = ["cycle"]


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["cycle", "field", "value", "minimum", "maximum"]
    list_filter = ["cycle"]
    list_select_related = ["cycle__program"]
