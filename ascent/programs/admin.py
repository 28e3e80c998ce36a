from django.contrib import admin

from ascent.common.admin import SuperuserChanges

from .models import Criterion, Cycle, FormField, Program, Quota, Requirement, Stage, TeamMember


class CycleInline(admin.TabularInline):
    # Deleting it here would take the reviews, scores and decisions with it, unchecked:
    # the record is deleted (or not) through its own page, which checks what it takes.
    can_delete = False
    model = Cycle
    fields = ["name", "slug", "opens_at", "deadline", "capacity", "state"]
    extra = 0
    show_change_link = True


class TeamMemberInline(SuperuserChanges, admin.TabularInline):
    """Only the operator's superusers choose a program's team and roles: a staff member
    cannot add themselves to another team's program, or raise their own role."""

    model = TeamMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "slug", "created_at"]
    search_fields = ["name", "organisation", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamMemberInline, CycleInline]


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


@admin.register(TeamMember)
class TeamMemberAdmin(SuperuserChanges, admin.ModelAdmin):
    """Every program's team and roles: chosen by the operator's superusers only."""

    list_display = ["program", "user", "role"]
    list_filter = ["role", "program"]
    search_fields = ["user__email", "user__username", "program__name"]
    autocomplete_fields = ["user"]
