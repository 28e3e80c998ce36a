"""The semantic model's embeddings, kept in the database by text digest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ascent.review.models import TextEmbedding

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
