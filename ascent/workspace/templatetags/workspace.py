from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``row|get_item:key`` for dicts in templates."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def summary(result) -> list:
    """A job's result as (label, value) rows in words."""
    from ascent.workspace.summaries import summary_rows

    return summary_rows(result)
