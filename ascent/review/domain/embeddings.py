"""The semantic model's embeddings, kept in the database by text digest.

An embedding is derived from a person's text (an application, a publication), so it
goes when the text goes: ``forget_applicant`` when an account is deleted,
``update_profile`` for the publications a reviewer removes, and ``prune_embeddings``
(``ascent prune_embeddings``, daily from cron, and queued after an account's deletion)
for everything no current text gives: an application changed or anonymised, a reviewer
gone, another model's vectors. An embedding two texts share (the same paper in two
profiles) goes with either, and is simply embedded again for the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from django.db import transaction
from django.db.models import Q

from ascent.applications.models import Application
from ascent.engine.affinity import (
    SEMANTIC_MODEL,
    ReviewerProfile,
    application_document,
    text_digest,
)
from ascent.programs.domain.forms import form_of
from ascent.programs.models import Cycle, FormField
from ascent.review.models import Reviewer, TextEmbedding

CHUNK = 500  # digests per query


class DatabaseEmbeddingCache:
    """``ascent.engine.affinity.EmbeddingCache`` on the ``TextEmbedding`` table."""

    def get_many(self, model: str, digests: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(digests), CHUNK):
            rows = TextEmbedding.objects.filter(
                model=model, digest__in=digests[start : start + CHUNK]
            ).values_list("digest", "vector")
            for digest, vector in rows:
                found[digest] = np.frombuffer(bytes(vector), dtype=np.float16).astype(np.float32)
        return found

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        TextEmbedding.objects.bulk_create(
            [
                TextEmbedding(model=model, digest=digest, vector=v.astype(np.float16).tobytes())
                for digest, v in vectors.items()
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )


def reviewer_profile(tags, statement, papers) -> ReviewerProfile:
    """The engine's profile from a reviewer's stored keywords, statement and papers."""
    return ReviewerProfile(
        tags=tuple(t for t in tags or () if isinstance(t, str)),
        papers=tuple(p for p in papers or () if isinstance(p, str)),
        statement=statement or "",
    )


def profile_digests(tags, statement, papers) -> set[str]:
    """The digests of the texts the assignment embeds for one reviewer."""
    return {text_digest(text) for _kind, text in reviewer_profile(tags, statement, papers).texts()}


def application_digests(
    applications: Iterable[tuple[int, dict]], *, as_read: bool = False
) -> set[str]:
    """The digests of the documents the assignment embeds for (cycle id, answers) pairs;
    with ``as_read``, also those of the documents as each stage's reviewers read them
    (hidden answers left out, and identifying ones on a blind stage), which the page
    that says why a reviewer fits embeds."""
    forms: dict[int, tuple] = {}
    skips: dict[int, list[list[str]]] = {}
    digests = set()
    for cycle_id, answers in applications:
        if cycle_id not in forms:
            cycle = Cycle.objects.get(pk=cycle_id)
            forms[cycle_id] = form_of(cycle)
            skips[cycle_id] = [[]] + (_unseen_by_stage(cycle) if as_read else [])
        for skip in skips[cycle_id]:
            document = application_document(answers or {}, forms[cycle_id], skip=skip)
            if document.strip():
                digests.add(text_digest(document))
    return digests


def unseen_fields(cycle_id: int, *, blind: bool) -> list[str]:
    """The fields a stage's reviewers may not read: hidden ones, and on a blind stage the
    identifying ones too (the page that says why a reviewer fits leaves them out)."""
    unseen = Q(hidden_from_reviewers=True) | Q(identifying=True) if blind else Q(
        hidden_from_reviewers=True)  # fmt: skip
    return list(FormField.objects.filter(cycle=cycle_id).filter(unseen)
                .values_list("key", flat=True))  # fmt: skip


def _unseen_by_stage(cycle: Cycle) -> list[list[str]]:
    return [unseen_fields(cycle.pk, blind=False), unseen_fields(cycle.pk, blind=True)]


def forget(digests: Iterable[str]) -> int:
    """Delete the stored embeddings of these texts, whatever the model; how many went."""
    digests = list(digests)
    deleted = 0
    for start in range(0, len(digests), CHUNK):
        deleted += TextEmbedding.objects.filter(digest__in=digests[start : start + CHUNK]).delete()[
            0
        ]
    return deleted


def forget_applicant(applicant) -> int:
    """Delete the embeddings of an applicant's applications as they read now, whole and
    as each stage's reviewers read them (call it before the answers go). Texts they
    held before (an answer changed since, a question added) are no one's current text
    any more: a prune finds them, and one is queued as soon as the deletion commits."""
    rows = Application.objects.filter(applicant=applicant).values_list("cycle_id", "answers")
    deleted = forget(application_digests(rows, as_read=True))
    from ascent.review.tasks import prune_embeddings_task

    transaction.on_commit(prune_embeddings_task.enqueue)
    return deleted


def prune_embeddings() -> int:
    """Delete every stored embedding that no current text gives; how many went."""
    applications = (
        Application.objects.exclude(answers={})
        .values_list("cycle_id", "answers")
        .iterator(chunk_size=2000)
    )
    live = application_digests(applications, as_read=True)
    for tags, statement, papers in Reviewer.objects.values_list("expertise", "statement", "papers"):
        live |= profile_digests(tags, statement, papers)
    stale = [
        pk
        for pk, model, digest in TextEmbedding.objects.values_list(
            "pk", "model", "digest"
        ).iterator(chunk_size=5000)
        if model != SEMANTIC_MODEL or digest not in live
    ]
    for start in range(0, len(stale), CHUNK):
        TextEmbedding.objects.filter(pk__in=stale[start : start + CHUNK]).delete()
    return len(stale)
