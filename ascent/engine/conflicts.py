"""Conflicts of interest found from data, besides those reviewers declare.

Two rules: a reviewer from the applicant's own organisation, and a reviewer who wrote
(or was asked to write) one of the applicant's references. Names of organisations and
e-mail addresses are compared after case folding and trimming; empty values match
nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DetectedConflict:
    application: int
    reviewer: int
    reason: str


def _norm(value: str | None) -> str:
    return " ".join((value or "").casefold().split())


def detect_conflicts(
    application_organisations: Sequence[str | None],
    reviewer_organisations: Sequence[str | None],
    application_recommenders: Sequence[Iterable[str]] | None = None,
    reviewer_emails: Sequence[str | None] | None = None,
) -> list[DetectedConflict]:
    """Every (application, reviewer) pair in conflict, with the reason in words."""
    found: dict[tuple[int, int], str] = {}
    by_organisation: dict[str, list[int]] = defaultdict(list)
    for r, organisation in enumerate(reviewer_organisations):
        if _norm(organisation):
            by_organisation[_norm(organisation)].append(r)
    for a, organisation in enumerate(application_organisations):
        for r in by_organisation.get(_norm(organisation), ()):
            found[(a, r)] = f"same organisation ({organisation.strip()})"
    if application_recommenders is not None and reviewer_emails is not None:
        by_email: dict[str, list[int]] = defaultdict(list)
        for r, email in enumerate(reviewer_emails):
            if _norm(email):
                by_email[_norm(email)].append(r)
        for a, emails in enumerate(application_recommenders):
            for email in emails:
                for r in by_email.get(_norm(email), ()):
                    found.setdefault((a, r), "the reviewer is one of the applicant's recommenders")
    return [DetectedConflict(a, r, reason) for (a, r), reason in sorted(found.items())]


def conflict_pairs(conflicts: Iterable[DetectedConflict]) -> np.ndarray:
    pairs = [(c.application, c.reviewer) for c in conflicts]
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)
