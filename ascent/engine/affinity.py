"""How well a reviewer fits an application: a number in [0, 1] for the assignment.

Two signals, both in [0, 1], averaged with ``tag_weight``:

- **text**: cosine similarity of TF-IDF vectors (scikit-learn) of the application's
  document and the reviewer's profile. The application's document is every text
  answer plus the labels of its chosen options ("Aerospace engineering", "Jet"); the
  reviewer's profile is their expertise tags and any profile text. TF-IDF weighs rare,
  specific words ("geology") above common ones ("experience").
- **tags**: the share of the reviewer's expertise tags that appear, as whole words, in
  the application's document. It rewards a reviewer whose every topic is present.

The result is dense float64 (n_applications, n_reviewers); 20,000 × 3,000 is 480 MB.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .forms import FieldSpec

TEXT_KINDS = frozenset({"text", "long_text"})
CHOICE_KINDS = frozenset({"choice", "multi_choice"})
TOKENS = r"(?u)\b[^\W\d_]{2,}\b"  # words of two letters or more, no digits
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*", re.UNICODE)


def application_document(
    answers: Mapping[str, Any], form: Iterable[FieldSpec], *, skip: Iterable[str] = ()
) -> str:
    """The words of an application that say what it is about.

    Text answers and the labels of chosen options, records included; ``skip`` names
    fields to leave out (a name, an e-mail address: they say nothing about the topic).
    """
    skipped = set(skip)
    parts: list[str] = []
    _collect(answers, tuple(form), skipped, parts)
    return " ".join(parts)


def _collect(answers: Any, form: tuple[FieldSpec, ...], skip: set[str], parts: list[str]) -> None:
    if not isinstance(answers, Mapping):
        return
    for spec in form:
        if spec.key in skip:
            continue
        value = answers.get(spec.key)
        if value in (None, "", []):
            continue
        if spec.kind in TEXT_KINDS and isinstance(value, str):
            parts.append(value)
        elif spec.kind in CHOICE_KINDS:
            labels = {choice.value: choice.label for choice in spec.choices}
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item in labels:
                    parts.append(labels[item])
        elif spec.kind == "records" and isinstance(value, list):
            for record in value:
                _collect(record, spec.fields, skip, parts)


def reviewer_profile(tags: Sequence[str], text: str = "") -> str:
    return " ".join([*tags, text]).strip()


def _words(text: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(text)}


def tag_coverage(documents: Sequence[str], reviewer_tags: Sequence[Sequence[str]]) -> np.ndarray:
    """(n, m): the share of each reviewer's tags whose every word is in the document."""
    vocabulary: dict[str, int] = {}
    tag_words = [[tuple(sorted(_words(tag))) for tag in tags] for tags in reviewer_tags]
    for tags in tag_words:
        for words in tags:
            for word in words:
                vocabulary.setdefault(word, len(vocabulary))
    present = np.zeros((len(documents), max(1, len(vocabulary))), dtype=bool)
    for row, document in enumerate(documents):
        for word in _words(document):
            column = vocabulary.get(word)
            if column is not None:
                present[row, column] = True
    coverage = np.zeros((len(documents), len(reviewer_tags)))
    for r, tags in enumerate(tag_words):
        usable = [words for words in tags if words]
        if not usable:
            continue
        hits = np.zeros(len(documents))
        for words in usable:
            hits += present[:, [vocabulary[w] for w in words]].all(axis=1)
        coverage[:, r] = hits / len(usable)
    return coverage


def affinity_matrix(
    documents: Sequence[str],
    reviewer_tags: Sequence[Sequence[str]],
    reviewer_texts: Sequence[str] | None = None,
    *,
    tag_weight: float = 0.5,
) -> np.ndarray:
    """Affinity in [0, 1] of each application document (rows) to each reviewer (columns)."""
    if not 0 <= tag_weight <= 1:
        raise ValueError("tag_weight: must lie between 0 and 1")
    n, m = len(documents), len(reviewer_tags)
    if reviewer_texts is None:
        reviewer_texts = [""] * m
    if len(reviewer_texts) != m:
        raise ValueError("reviewer_texts: needs one text per reviewer")
    if n == 0 or m == 0:
        return np.zeros((n, m))
    profiles = [
        reviewer_profile(tags, text)
        for tags, text in zip(reviewer_tags, reviewer_texts, strict=True)
    ]
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    vectorizer.token_pattern = TOKENS
    try:
        matrix = vectorizer.fit_transform([*documents, *profiles])
    except ValueError:  # no word at all in any document
        text = np.zeros((n, m))
    else:
        text = (matrix[:n] @ matrix[n:].T).toarray()
    affinity = (1 - tag_weight) * text + tag_weight * tag_coverage(documents, reviewer_tags)
    return np.clip(affinity, 0.0, 1.0)
