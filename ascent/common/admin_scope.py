"""The administration, scoped to programs (issue #16): a program manager who is not an
operator sees and chooses in the admin only the rows of the programs they manage (or of
programs with no team); rows that belong to no program (jobs, the audit log, the outbox,
API tokens, cached embeddings) are the operators' alone. Superusers see everything.

Each registered model names its path to the program; ``scope_admin`` wraps every
registered ModelAdmin once the admin has been discovered."""

from __future__ import annotations

from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

# model label → path to its program ("" for the program itself)
PROGRAM_PATHS = {
    "programs.program": "",
    "programs.cycle": "program",
    "programs.formfield": "cycle__program",
    "programs.requirement": "cycle__program",
    "programs.criterion": "cycle__program",
    "programs.stage": "cycle__program",
    "programs.quota": "cycle__program",
    "programs.teammember": "program",
    "applications.applicant": "applications__cycle__program",
    "applications.application": "cycle__program",
    "applications.reference": "application__cycle__program",
    "applications.supporter": "applicant__applications__cycle__program",
    "applications.applicationtransition": "application__cycle__program",
    "applications.storedfile": "application__cycle__program",
    "applications.eligibility": "application__cycle__program",
    "applications.reminder": "cycle__program",
    "review.reviewer": "program",
    "review.conflict": "reviewer__program",
    "review.bid": "reviewer__program",
    "review.assignment": "stage__cycle__program",
    "review.review": "assignment__stage__cycle__program",
    "review.score": "review__assignment__stage__cycle__program",
    "review.shortlisted": "stage__cycle__program",
    "decisions.decision": "cycle__program",
    "decisions.decisionrun": "cycle__program",
    "decisions.offer": "decision__cycle__program",
}
# Not program data, and not scoped here: accounts (Django's own permissions decide).
ACCOUNTS = {"auth.user", "auth.group", "account.emailaddress"}


def managed_programs(user):
    """The programs whose data a user may see in the admin: every one for a superuser;
    otherwise those they manage, and those with no team if they are on none."""
    from ascent.programs.models import Program

    if user.is_superuser:
        return Program.objects.all()
    from ascent.common.permissions import teamless

    return Program.objects.filter(Q(members__user=user, members__role="manager") | teamless(user))


def scoped(model, queryset, user):
    """``queryset`` of ``model`` narrowed to the user's programs (nothing when the model
    belongs to no program)."""
    if user.is_superuser:
        return queryset
    label = model._meta.label_lower
    if label in ACCOUNTS:
        return queryset
    if label not in PROGRAM_PATHS:
        return queryset.none()
    path = PROGRAM_PATHS[label]
    programs = managed_programs(user).values("pk")
    if not path:
        return queryset.filter(pk__in=programs)
    inside = model._default_manager.filter(**{f"{path}__in": programs}).values("pk")
    return queryset.filter(pk__in=inside)


def scope_admin(site) -> None:
    """Wrap every registered ModelAdmin (and its inlines) of ``site``."""
    for model, model_admin in site._registry.items():
        _wrap(type(model_admin), model)
        for inline in getattr(model_admin, "inlines", []):
            _wrap(inline, inline.model)


def _wrap(cls, _model) -> None:
    if cls.__dict__.get("_program_scoped"):
        return
    get_queryset = cls.get_queryset
    formfield_for_foreignkey = cls.formfield_for_foreignkey
    has_module_permission = getattr(cls, "has_module_permission", None)

    def scoped_queryset(self, request):
        return scoped(self.model, get_queryset(self, request), request.user)

    def scoped_choices(self, db_field, request, **kwargs):
        field = formfield_for_foreignkey(self, db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped(db_field.related_model, field.queryset, request.user)
            if isinstance(field.widget, ForeignKeyRawIdWidget):
                _scope_raw_id(field.widget, db_field.related_model, request.user)
        return field

    def scoped_filters(self, request):
        filters = get_list_filter(self, request)
        if request.user.is_superuser:
            return filters
        return [_scoped_filter(self.model, item) for item in filters
                if _scoped_filter(self.model, item) is not None]  # fmt: skip

    get_list_filter = getattr(cls, "get_list_filter", None)  # inlines have no list
    cls.get_queryset = scoped_queryset
    cls.formfield_for_foreignkey = scoped_choices
    if get_list_filter is not None:
        cls.get_list_filter = scoped_filters
    if has_module_permission is not None:

        def module_permission(self, request):
            label = self.model._meta.label_lower
            if not request.user.is_superuser and label not in PROGRAM_PATHS.keys() | ACCOUNTS:
                return False
            return has_module_permission(self, request)

        cls.has_module_permission = module_permission
    cls._program_scoped = True


def _scoped_filter(model, item):
    """A list filter whose choices come from the scoped rows: a relation is offered only
    with the related rows the list has (Django's RelatedOnlyFieldListFilter); a plain
    value reached across a relation (whose choices Django reads from every row) is
    dropped."""
    if not isinstance(item, str):
        return item
    parts = item.split("__")
    current = model
    for i, part in enumerate(parts):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not field.is_relation:
            return item if i == 0 else None
        current = field.related_model
    return (item, RelatedOnlyFieldListFilter)


def _scope_raw_id(widget, related_model, user) -> None:
    """The raw-id box names the object whose id is typed (or given in the address):
    not when that object is another program's."""
    label_and_url = widget.label_and_url_for_value

    def scoped_label(value):
        try:
            found = scoped(related_model, related_model._default_manager.filter(
                **{widget.rel.get_related_field().name: value}), user).exists()  # fmt: skip
        except (TypeError, ValueError):
            found = False
        return label_and_url(value) if found else ("", "")

    widget.label_and_url_for_value = scoped_label
