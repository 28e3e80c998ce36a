"""The engine's messages in the reader's language.

The engine (no Django) returns forms.Message strings that keep their template and
values; ``translated`` looks the template up in the catalogue. The templates are listed
here with gettext_noop so that makemessages finds them.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from ascent.programs.models import FieldKind

ENGINE_MESSAGES = (
    _("is not a field of this form"),
    _("is required"),
    _("must be text"),
    _("must be at most %(limit)s characters (it has %(length)s)"),
    _("must be a number"),
    _("must be at least %(minimum)s"),
    _("must be at most %(maximum)s"),
    _("must be a date written YYYY-MM-DD"),
    _("must be one of: %(choices)s"),
    _("must be a list of choices"),
    _("%(unknown)s not among the choices: %(choices)s"),
    _("lists a choice twice"),
    _("must be an uploaded file"),
    _("must be a record"),
    _("must be a list of records"),
    _("must be a number between %(low)s and %(high)s"),
    _("can have at most %(count)s rows"),
    _("must be on or before %(day)s"),
    _("must be on or after %(day)s"),
    # the rules' own problems (a requirement written in the builder or a file)
    _("rules may nest at most %(n)s levels deep"),
    _('a rule must be an object such as {"field": ..., "op": ..., "value": ...}'),
    _("a rule has exactly one of: %(shapes)s"),
    _("a rule has exactly one of: %(shapes)s (it has %(found)s)"),
    _("unknown key in a %(shape)s rule; allowed: %(allowed)s"),
    _('must be text, such as "h" or "years"'),
    _("must be a non-empty list of rules"),
    _("%(op)s does not fit the %(kind)s field %(key)s; use one of: %(ops)s"),
    _(
        "%(op)s does not fit the %(kind)s field %(key)s; use one of: %(ops)s; use some, count "
        "or sum for a records field"
    ),
    _("%(op)s takes no value"),
    _("%(op)s needs a value"),
    _("a unit fits a number field; %(key)s is %(kind)s"),
    _("years_since needs a date field; %(key)s is %(kind)s"),
    _("sum needs a number column; %(key)s is %(kind)s"),
    _("must be the key of a field"),
    _("%(key)s is not a column of %(within)s (known: %(known)s)"),
    _("%(key)s is not a field of this form (known: %(known)s)"),
    _("%(key)s is a %(kind)s field, not a list of records"),
    _("%(op)s needs a non-empty list"),
    _("%(key)s is a number field; the value must be a number"),
    _("%(key)s is a date field; write the value YYYY-MM-DD"),
    _("%(value)s is not a choice of %(key)s (%(choices)s)"),
    _("the choices of %(key)s are not ordered, so %(op)s cannot compare them"),
    _("%(key)s is a text field; the value must be text"),
    _("is not a valid rule"),
)


def translated(message: str) -> str:
    template = getattr(message, "template", None)
    if template is None:
        return gettext(message) if message else message
    values = getattr(message, "values", {})
    if values.get("kind") in FieldKind.values:  # "a long text field", "de tipo texto largo"
        values = {**values, "kind": str(FieldKind(values["kind"]).label).lower()}
    return gettext(template) % values if values else gettext(template)
