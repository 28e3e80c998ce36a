"""A job's summary as people read it: each figure with a label in the reader's language
and its value in words ("Submitted → In review: 2"), never Python's repr of a dict."""

from __future__ import annotations

import re

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from ascent.applications.models import ApplicationStatus

LABELS = {
    "cycle": _("Cycle"), "stage": _("Stage"), "applications": _("Applications"),
    "eligible": _("Eligible"), "ineligible": _("Not eligible"),
    "failed_by_requirement": _("Failed, by requirement"), "moved": _("Status changes"),
    "overridden": _("Overridden by staff"), "decided_now_ineligible": _("Decided, now not eligible"),
    "screened_on": _("Durations counted to"), "seconds": _("Seconds"), "run": _("Decision run"),
    "selected": _("Selected"), "waitlist": _("Waiting list"), "cutoff": _("Cutoff"),
    "expected_overlap": _("Expected overlap of a re-run"), "borderline": _("Borderline"),
    "quotas": _("Selected per quota group"), "inputs_digest": _("Inputs fingerprint"),
    "objective": _("Objective"), "method": _("Affinity method"),
    "empty_profiles": _("Reviewers with an empty profile"), "reviewers": _("Reviewers"),
    "reviews_needed": _("Reviews needed"), "assigned": _("Assigned"), "kept": _("Kept"),
    "conflicts": _("Conflicts"), "detected_now": _("Conflicts found now"),
    "load_histogram": _("Reviewers by load"), "affinity_quantiles": _("Affinity quantiles"),
    "shortlisted": _("Shortlisted"), "sent": _("E-mails sent"), "released": _("Released"),
    "total_affinity": _("Total affinity"), "upper_bound": _("Highest total possible (LP bound)"),
    "min_application_affinity": _("Lowest affinity of one application"),
    "bids": _("Bids read"), "eager_used": _("Assigned where the reviewer was eager"),
    "not_willing_used": _("Assigned although the reviewer was not willing (no other way)"),
    "one_per_organisation": _("At most one reviewer per organisation on an application"),
    "one_senior": _("At least one senior reviewer on each application"),
}  # fmt: skip
KINDS = {"assignment": _("Assignment"), "selection": _("Selection"), "screening": _("Screening")}
# What a job says it is doing, as the domain functions report it (kept in English in the
# Job row; said in the reader's language here).
PHASES = frozenset(
    (
        gettext_noop("Reading applications and panel"),
        gettext_noop("Finding conflicts"),
        gettext_noop("Computing affinity"),
        gettext_noop("Embedding texts"),
        gettext_noop("Solving the assignment"),
        gettext_noop("Reading reviews"),
        gettext_noop("Calibrating reviewers"),
        gettext_noop("Selecting"),
        gettext_noop("Auditing the selection by re-running it"),
        gettext_noop("Writing decisions"),
        gettext_noop("Checking requirements"),
        gettext_noop("Saving results"),
        gettext_noop("Done"),
    )
)
VALUES = {
    "method": {"hybrid": _("shared specific words (TF-IDF) and meaning (a semantic model), "
                           "half and half"),
               "tfidf": _("shared specific words (TF-IDF) only"),
               "semantic": _("meaning (a semantic model) only")},
    "objective": {"total": _("the highest total affinity"),
                  "fair": _("the worst-off application first, then the total"),
                  "randomized": _("randomised, with a cap on each pair's probability")},
    "conflicts": {"same organisation": _("same organisation"), "declared": _("declared"),
                  "detected": _("detected"), "staff": _("set by staff")},
}  # fmt: skip
HIDDEN = {"requirement_names"}  # used to name the requirements, not shown by itself
SHOWN_ITEMS = 12
_HEX = re.compile(r"^[0-9a-f]{32,}$")


def summary_rows(result: dict | None, place: str = "") -> list[tuple[str, str]]:
    """``place``: the job's cycle or stage named in the reader's language, shown instead
    of the name the job wrote down."""
    if not isinstance(result, dict):
        return []
    names = result.get("requirement_names") or {}
    rows = []
    for key, value in result.items():
        if key in HIDDEN or value is None:
            continue
        label = LABELS.get(key) or key.replace("_", " ").capitalize()
        if key == "failed_by_requirement" and isinstance(value, dict):
            value = {names.get(k, k): n for k, n in value.items()}
        if key in ("cycle", "stage") and place:
            value = place
        words = VALUES.get(key, {})
        if isinstance(value, str) and value in words:
            value = str(words[value])
        elif isinstance(value, dict) and words:
            value = {str(words.get(k, k)): n for k, n in value.items()}
        rows.append((str(label), _said(key, value)))
    return rows


def _said(key: str, value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        if _HEX.match(value):
            return value[:12] + "…"
        return _status_change(value)
    if isinstance(value, dict):
        if not value:
            return "—"
        return "; ".join(f"{_status_change(str(k))}: {_said(key, v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if not value:
            return "—"
        shown = ", ".join(_said(key, v) for v in value[:SHOWN_ITEMS])
        more = len(value) - SHOWN_ITEMS
        if more > 0:
            shown += " " + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
        return shown
    return str(value)


def _number(value: float) -> str:
    whole = isinstance(value, int) or float(value).is_integer()
    return number_format(value, decimal_pos=0 if whole else 2, force_grouping=True)


def _status_change(text: str) -> str:
    """``submitted→in_review`` → "Submitted → In review"."""
    if "→" not in text:
        return text
    labels = dict(ApplicationStatus.choices)
    return " → ".join(str(labels.get(part, part)) for part in text.split("→"))
