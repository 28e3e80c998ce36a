"""``{{ text|tr:cycle }}``: a program's own text (a label, a requirement's name, a
criterion's advice…) in the reader's language, from the cycle's or program's phrasebook;
as written when it has no translation."""

from django import template

from ascent.programs.domain.content import phrase

register = template.Library()


@register.filter
def tr(text, owner):
    """A cycle's phrasebook first, then its program's when already loaded (never a query)."""
    program = None
    if hasattr(owner, "program_id") and type(owner)._meta.get_field("program").is_cached(owner):
        program = owner.program
    return phrase(text, owner, program)
