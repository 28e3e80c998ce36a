"""The rules engine's explanations in the reader's language.

The engine (no Django) writes each explanation as an English sentence and keeps its
template and values (``message``: ``{"t": template, "v": {name: value}}``, a value being
text, a nested message or ``{"n": number}``). Here the template is looked up in the
catalogue and the numbers are written the reader's way ("1,000" or "1.000"). An
explanation stored before messages were kept reads as its English text.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

TEMPLATES = (
    _("%(name)s is %(value)s"), _("%(name)s is not %(value)s"),
    _("%(name)s is below %(value)s"), _("%(name)s is at most %(value)s"),
    _("%(name)s is above %(value)s"), _("%(name)s is at least %(value)s"),
    _("%(name)s is one of %(value)s"), _("%(name)s is none of %(value)s"),
    _("%(name)s includes %(value)s"), _("%(name)s does not include %(value)s"),
    _("%(name)s: %(shown)s (is %(value)s)"), _("%(name)s: %(shown)s (is not %(value)s)"),
    _("%(name)s: %(shown)s (is below %(value)s)"), _("%(name)s: %(shown)s (is at most %(value)s)"),
    _("%(name)s: %(shown)s (is above %(value)s)"), _("%(name)s: %(shown)s (is at least %(value)s)"),
    _("%(name)s: %(shown)s (is one of %(value)s)"), _("%(name)s: %(shown)s (is none of %(value)s)"),
    _("%(name)s: %(shown)s (includes %(value)s)"),
    _("%(name)s: %(shown)s (does not include %(value)s)"),
    _("%(name)s: %(shown)s; must be %(value)s"),
    _("%(name)s: %(shown)s; must be other than %(value)s"),
    _("%(name)s: %(shown)s; must be below %(value)s"),
    _("%(name)s: %(shown)s; must be at most %(value)s"),
    _("%(name)s: %(shown)s; must be above %(value)s"),
    _("%(name)s: %(shown)s; must be at least %(value)s"),
    _("%(name)s: %(shown)s; must be one of %(value)s"),
    _("%(name)s: %(shown)s; must be none of %(value)s"),
    _("%(name)s: %(shown)s; must include %(value)s"),
    _("%(name)s: %(shown)s; must not include %(value)s"),
    _("%(actual)s of the %(required)s of %(name)s required"),
    _("%(number)s %(unit)s"),
    _("(%(rule)s)"), _("%(left)s and %(right)s"), _("%(left)s or %(right)s"),
    _("all of these are met"), _("%(failing)s of %(total)s conditions not met"),
    _("one of the %(total)s conditions is not met"),
    _("met by one of the alternatives"),
    _("none of the %(total)s alternatives is met (the closest is %(percent)s%% of the way)"),
    _("not (%(rule)s)"), _("as required, not: %(rule)s"), _("must not hold: %(rule)s"),
    _("years since %(field)s"),
    _("%(name)s is answered"), _("%(name)s is left empty"),
    _("%(name)s: answered"), _("%(name)s: not answered"),
    _("%(name)s: left empty, as required"), _("%(name)s: must be left empty"),
    _("%(name)s: not a valid date"),
    _("%(column)s in %(records)s"), _("%(what)s where %(rule)s"),
    _("at least one of %(records)s with %(rule)s"), _("at least one of %(records)s"),
    _("%(records)s %(number)s: %(text)s"),
    _("none of the %(count)s %(records)s meets: %(rule)s"),
    _("%(records)s: the only one given does not meet: %(rule)s"),
    _("%(text)s (%(records)s: not answered)"),
)  # fmt: skip
UNITS = (_("years"), _("year"), _("hours"), _("months"), _("days"))


def explained(node: dict, words: dict[str, str] | None = None) -> str:
    """One explanation node (a dict from the engine's ``to_dict``) as a sentence in the
    active language; ``words`` (the cycle's phrasebook, programs.domain.content) puts the
    program's own texts in it (field and choice labels, a rule's measures) in that
    language too."""
    message = node.get("message") if isinstance(node, dict) else None
    if not isinstance(message, dict):
        return node.get("text", "") if isinstance(node, dict) else str(node)
    return said(message, words or {})


def said(message: dict, words: dict[str, str] | None = None) -> str:
    words = words or {}
    values = {key: _value(key, value, words) for key, value in (message.get("v") or {}).items()}
    template = gettext(message.get("t", ""))
    try:
        return template % values if values else template.replace("%%", "%")
    except (KeyError, TypeError, ValueError):  # a catalogue that lost a placeholder
        return message.get("t", "") % values if values else message.get("t", "")


def _value(key: str, value, words: dict[str, str]):
    if isinstance(value, dict) and "t" in value:
        return said(value, words)
    if isinstance(value, dict) and "n" in value:
        number = value["n"]
        whole = isinstance(number, int) or float(number).is_integer()
        return number_format(number, decimal_pos=0 if whole else 1, force_grouping=True)
    if key == "unit" and value:
        return gettext(value)
    if isinstance(value, str) and words:
        if value in words:
            return words[value]
        return ", ".join(_word(part, words) for part in value.split(", "))
    return value


def _word(text: str, words: dict[str, str]) -> str:
    """A program's text translated; the engine writes a field's label in lower case
    inside a sentence ("none of the 2 degrees …"), and so does its translation."""
    if text in words:
        return words[text]
    if text and text == text.lower():
        for source, target in words.items():
            if source.lower() == text:
                return target.lower()
    return text


def explained_lines(node: dict, depth: int = 0, words: dict[str, str] | None = None) -> list[str]:
    """The tree as indented lines with ✓ and ✗, as the self-check shows it."""
    mark = "✓" if node.get("passed") else "✗"
    lines = [f"{'  ' * depth}{mark} {explained(node, words)}"]
    for child in node.get("children") or ():
        lines.extend(explained_lines(child, depth + 1, words))
    return lines
