from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``row|get_item:key`` for dicts in templates."""
    return mapping.get(key) if hasattr(mapping, "get") else None
