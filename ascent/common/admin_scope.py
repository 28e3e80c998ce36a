"""The administration, scoped to programs (issue #16): a program manager who is not an
operator sees and chooses in the admin only the rows of the programs they manage (or of
programs with no team); rows that belong to no program (jobs, the audit log, the outbox,
API tokens, cached embeddings) are the operators' alone. Superusers see everything.

Each registered model names its path to the program; ``scope_admin`` wraps every
registered ModelAdmin once the admin has been discovered."""

from __future__ import annotations

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
    otherwise those they manage, and those with no team."""
    from ascent.programs.models import Program

    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(
        Q(members__user=user, members__role="manager") | Q(members__isnull=True)
    )


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
        return field

    cls.get_queryset = scoped_queryset
    cls.formfield_for_foreignkey = scoped_choices
    if has_module_permission is not None:

        def module_permission(self, request):
            label = self.model._meta.label_lower
            if not request.user.is_superuser and label not in PROGRAM_PATHS.keys() | ACCOUNTS:
                return False
            return has_module_permission(self, request)

        cls.has_module_permission = module_permission
    cls._program_scoped = True
