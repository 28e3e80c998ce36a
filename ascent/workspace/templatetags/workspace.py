from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``row|get_item:key`` for dicts in templates."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def summary(result, place: str = "") -> list:
    """A job's result as (label, value) rows in words."""
    from ascent.workspace.summaries import summary_rows

    return summary_rows(result, place)


@register.filter
def job_kind(kind: str) -> str:
    from ascent.workspace.summaries import KINDS

    return str(KINDS.get(kind, kind))


@register.filter
def phase(text: str) -> str:
    from django.utils.translation import gettext

    from ascent.workspace.summaries import PHASES

    return gettext(text) if text in PHASES else text
