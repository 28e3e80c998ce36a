"""``{{ node|explained }}``: a rules-engine explanation in the reader's language."""

from django import template

from ascent.applications.domain.explain import explained as _explained
from ascent.programs.domain.content import phrasebook

register = template.Library()


@register.filter
def explained(node, cycle=None) -> str:
    """``{{ node|explained:cycle }}``: with the cycle, its own texts in the reader's
    language too."""
    return _explained(node, phrasebook(cycle) if cycle is not None else None)
