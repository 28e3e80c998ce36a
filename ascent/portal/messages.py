"""The engine's messages in the reader's language.

The engine (no Django) returns forms.Message strings that keep their template and
values; ``translated`` looks the template up in the catalogue. The templates are listed
here with gettext_noop so that makemessages finds them.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

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
)


def translated(message: str) -> str:
    template = getattr(message, "template", None)
    if template is None:
        return gettext(message) if message else message
    values = getattr(message, "values", {})
    return gettext(template) % values if values else gettext(template)
