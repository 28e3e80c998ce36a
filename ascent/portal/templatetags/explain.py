"""``{{ node|explained }}``: a rules-engine explanation in the reader's language."""

from django import template

from ascent.applications.domain.explain import explained as _explained

register = template.Library()


@register.filter
def explained(node) -> str:
    return _explained(node)
