"""``{% if user|uses_admin %}``: what the navigation offers by role."""

from django import template

from ascent.common.permissions import may_use_admin

register = template.Library()


@register.filter
def uses_admin(user) -> bool:
    """The administration link, for operators and program managers only."""
    return may_use_admin(user)
