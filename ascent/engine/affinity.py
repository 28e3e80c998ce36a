"""How well a reviewer fits an application: a number in [0, 1] for the assignment.

A reviewer is a ``ReviewerProfile``: expertise keywords (``tags``), a ``statement`` in
their own words and ``papers`` (their own work, one text each: title and abstract). An
application is one text (``application_document``). ``affinity_matrix`` scores every
application against every reviewer:

- **per text, then aggregated.** The application is compared with each of the
  reviewer's texts (each paper, the statement, the keywords) and the similarities are
  averaged (``aggregate="mean"``, the default, chosen by measurement: see
  docs/benchmarks.md; ``"max"`` and a top-k mean are there to compare). A reviewer who
  wrote twenty papers on one subject and one on another is scored for both, rather than
  for the blur of one joined profile.
- **two similarities, mixed.** *TF-IDF* (scikit-learn) rewards rare, specific words
  shared with the application ("geology"); a *semantic* model rewards the same subject
  in other words ("volcanoes" and "magma"). The semantic model is WordLlama's static
  token embeddings, whose weights ship inside its PyPI wheel (``pip install
  ascent[semantic]``): nothing is downloaded, no torch. ``method="auto"`` mixes the two
  half and half when the model is installed and falls back to TF-IDF alone when not;
  ``resolve_method`` says which one a call used, for the staff pages.
- **keywords, whole.** For a reviewer with keywords, the share of them present as whole
  words in the application is mixed in with ``tag_weight``: it rewards a reviewer whose
  every topic is there.

A reviewer with an empty profile scores 0 everywhere. Embeddings are cached per text
(``EmbeddingCache``: the product keeps them in its database), so a re-run embeds only
new or changed texts. The result is dense float64 (n_applications, n_reviewers); 20,000
× 3,000 is 480 MB.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from scipy import sparse

from .forms import FieldSpec
from .wordhash import hashed_counts

TEXT_KINDS = frozenset({"text", "long_text"})
CHOICE_KINDS = frozenset({"choice", "multi_choice"})
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*", re.UNICODE)

METHODS = ("auto", "hybrid", "semantic", "tfidf")
AGGREGATES = ("mean", "max")
SEMANTIC_MODEL = "wordllama-l2_supercat-256"
BLOCK_VALUES = 1 << 23  # similarities held at a time when every paper is kept apart
MAX_EMBED_CHARS = 6000  # the semantic model reads a text's first 6,000 characters

ProgressFn = Callable[[str, int, int], None]


class AffinityError(ValueError):
    """An argument of ``affinity_matrix`` is malformed; the message names it."""


@dataclass(frozen=True)
class ReviewerProfile:
    """What a reviewer knows, in their own words. Every field is optional."""

    tags: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    statement: str = ""

    def __post_init__(self) -> None:
        for name in ("tags", "papers"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            value = tuple(value or ())
            if not all(isinstance(item, str) for item in value):
                raise AffinityError(f"ReviewerProfile.{name}: must be texts")
            object.__setattr__(self, name, value)
        if not isinstance(self.statement or "", str):
            raise AffinityError("ReviewerProfile.statement: must be a text")
        object.__setattr__(self, "statement", self.statement or "")

    def texts(self) -> list[tuple[str, str]]:
        """The texts an application is compared with, each with what it is."""
        found = [("paper", paper.strip()) for paper in self.papers if paper.strip()]
        if self.statement.strip():
            found.append(("statement", self.statement.strip()))
        keywords = ", ".join(tag.strip() for tag in self.tags if tag.strip())
        if keywords:
            found.append(("keywords", keywords))
        return found

    @property
    def empty(self) -> bool:
        return not self.texts()


# -- the application's text ------------------------------------------------------------


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


# -- the semantic model ----------------------------------------------------------------


class EmbeddingCache(Protocol):
    """Stored embeddings by text digest (``text_digest``), for one model."""

    def get_many(self, model: str, digests: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None: ...


class MemoryEmbeddingCache:
    """An ``EmbeddingCache`` in a dictionary (tests, benchmarks, one process)."""

    def __init__(self) -> None:
        self.vectors: dict[tuple[str, str], np.ndarray] = {}

    def get_many(self, model: str, digests: Sequence[str]) -> dict[str, np.ndarray]:
        found = ((d, self.vectors.get((model, d))) for d in digests)
        return {d: v for d, v in found if v is not None}

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        self.vectors.update({(model, d): v for d, v in vectors.items()})


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=1)
def _model_files() -> tuple[Path, Path] | None:
    """The bundled model's weights and tokenizer, if the semantic extra is installed;
    found without importing anything, so that asking costs nothing."""
    spec = importlib.util.find_spec("wordllama")
    needed = ("safetensors", "tokenizers")
    if (
        spec is None
        or spec.origin is None
        or any(importlib.util.find_spec(n) is None for n in needed)
    ):
        return None
    folder = Path(spec.origin).parent
    weights = folder / "weights" / "l2_supercat_256.safetensors"
    tokenizer = folder / "tokenizers" / "l2_supercat_tokenizer_config.json"
    return (weights, tokenizer) if weights.is_file() and tokenizer.is_file() else None


@lru_cache(maxsize=1)
def _semantic_model():
    """WordLlama's bundled model, loaded from the package's own files, or None.

    The package's loader looks for the tokenizer in the wrong folder and would then try
    the network; reading the two files directly never does. WordLlama also configures
    the root logger when imported, which is undone here.
    """
    files = _model_files()
    if files is None:
        return None
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    weights, tokenizer = files
    with safe_open(str(weights), framework="np", device="cpu") as tensors:
        embedding = tensors.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, Tokenizer.from_file(str(tokenizer)))


def semantic_available() -> bool:
    return _model_files() is not None


def resolve_method(method: str = "auto") -> str:
    """The method a call with ``method`` uses here: "hybrid" or "tfidf" for "auto"."""
    if method not in METHODS:
        raise AffinityError(f"method: must be one of {', '.join(METHODS)}")
    if method == "auto":
        return "hybrid" if semantic_available() else "tfidf"
    if method in ("hybrid", "semantic") and not semantic_available():
        raise AffinityError(
            f"method: {method!r} needs the semantic model (pip install 'ascent[semantic]')"
        )
    return method


def embed_texts(
    texts: Sequence[str],
    *,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn | None = None,
) -> np.ndarray:
    """Unit vectors (len(texts), 256) float32; an empty text is the zero vector.

    Each distinct text is embedded once; with a cache, only texts it does not hold.
    """
    model = _semantic_model()
    if model is None:
        raise AffinityError("method: the semantic model is not installed")
    digests = [text_digest(text) for text in texts]
    unique = dict(zip(digests, texts, strict=True))
    found = cache.get_many(SEMANTIC_MODEL, list(unique)) if cache is not None else {}
    missing = [(d, t) for d, t in unique.items() if d not in found and t.strip()]
    dim = model.embedding.shape[1]
    # Batches of similar length (the model pads each batch to its longest text), and
    # no text past MAX_EMBED_CHARS: a 20,000-character answer would otherwise make a
    # batch of 64 × 12,000 tokens × 256 floats.
    missing.sort(key=lambda item: len(item[1]))
    step = 4096
    fresh: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), step):
        chunk = missing[start : start + step]
        vectors = model.embed([t[:MAX_EMBED_CHARS] for _d, t in chunk], batch_size=64)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        # as the cache keeps them, so that a cached run scores exactly as a fresh one
        vectors = vectors.astype(np.float16).astype(np.float32)
        fresh.update(zip((d for d, _t in chunk), vectors, strict=True))
        if progress:
            progress("Embedding texts", min(start + step, len(missing)), len(missing))
    if cache is not None and fresh:
        cache.put_many(SEMANTIC_MODEL, fresh)
    found.update(fresh)
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, digest in enumerate(digests):
        vector = found.get(digest)
        if vector is not None:
            out[row] = vector
    return out


# -- scoring -------------------------------------------------------------------------


def _as_profiles(profiles: Sequence[Any]) -> list[ReviewerProfile]:
    if isinstance(profiles, str | bytes):
        raise AffinityError("profiles: expected one ReviewerProfile per reviewer")
    out = []
    for index, profile in enumerate(profiles):
        if isinstance(profile, ReviewerProfile):
            out.append(profile)
        elif isinstance(profile, Sequence) and not isinstance(profile, str | bytes):
            out.append(ReviewerProfile(tags=tuple(profile)))  # a list of keywords
        else:
            raise AffinityError(f"profiles[{index}]: expected a ReviewerProfile")
    return out


def _aggregate(
    documents: Any, texts: Any, owner: np.ndarray, m: int, aggregate: str | int
) -> np.ndarray:
    """(n, m): each document's similarity to each reviewer's texts, aggregated.

    ``documents`` and ``texts`` are row-normalised (dense or sparse); ``owner[j]`` is the
    reviewer of text j. The mean is a product with the reviewers' mean vectors; the
    others keep every text apart, in blocks of applications.
    """
    n = documents.shape[0]
    counts = np.bincount(owner, minlength=m)  # 0 for a reviewer without texts: scores 0
    if aggregate == "mean":
        weights = sparse.csr_array(
            ((1.0 / counts[owner]).astype(texts.dtype), (np.arange(len(owner)), owner)),
            shape=(len(owner), m),
        )
        centroids = weights.T @ texts  # (m, features): each reviewer's mean vector
        if not sparse.issparse(documents):
            return np.asarray(documents @ centroids.T, dtype=np.float64)
        # Sparse products in blocks of applications, on two threads (SciPy releases the
        # GIL): a quarter of the time of one product producing the whole dense matrix.
        # only the words found on both sides count: drop the other hashed columns
        documents, centroids = sparse.csr_matrix(documents), sparse.csr_matrix(centroids)
        used = np.zeros((2, documents.shape[1]), dtype=bool)
        used[0, documents.indices], used[1, centroids.indices] = True, True
        shared = np.flatnonzero(used.all(axis=0))
        documents, transposed = documents[:, shared], sparse.csr_matrix(centroids[:, shared].T)
        out = np.zeros((n, m))
        blocks = np.array_split(np.arange(n), max(1, n // 2500))

        def fill(rows: np.ndarray) -> None:
            out[rows] = (documents[rows] @ transposed).toarray()

        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(fill, blocks))
        return out
    k = 1 if aggregate == "max" else int(aggregate)
    width = int(counts.max()) if counts.size else 0
    slots = np.full((m, max(width, 1)), -1, dtype=np.int64)
    order = np.argsort(owner, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    position = np.arange(len(owner)) - np.repeat(starts, counts)
    slots[owner[order], position] = order
    out = np.zeros((n, m))
    rows = max(1, BLOCK_VALUES // (m * slots.shape[1]))
    for start in range(0, n, rows):
        block = documents[start : start + rows] @ texts.T
        block = np.asarray(block.toarray() if sparse.issparse(block) else block)
        padded = np.where(slots >= 0, block[:, slots], -np.inf)  # (rows, m, width)
        take = min(k, padded.shape[2])
        top = -np.partition(-padded, take - 1, axis=2)[:, :, :take]
        present = np.isfinite(top)  # fewer texts than k, or none at all: not counted
        total = np.where(present, top, 0.0).sum(axis=2)
        out[start : start + rows] = total / np.maximum(present.sum(axis=2), 1)
    return out


def _tfidf_vectors(documents: Sequence[str], texts: Sequence[str]):
    """Row-normalised TF-IDF vectors of the documents and of the reviewers' texts.

    Words are hashed into 2**20 columns (``wordhash``: no vocabulary to build), then
    weighted as scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` weighs them
    (1 + log of the count, times the smoothed inverse document frequency over both sets,
    rows of unit length); written out here because importing scikit-learn costs 2 s,
    and the tests compare the two."""
    counts = hashed_counts([*documents, *texts])
    if counts.nnz == 0:  # no word at all in any text
        return None
    frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + counts.shape[0]) / (1 + frequency)) + 1
    counts.data = ((np.log(counts.data) + 1) * idf[counts.indices]).astype(np.float32)
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows, counts.data.astype(np.float64) ** 2, counts.shape[0]))
    counts.data /= np.where(norms > 0, norms, 1)[rows].astype(np.float32)
    return counts[: len(documents)], counts[len(documents) :]


def affinity_matrix(
    documents: Sequence[str],
    profiles: Sequence[ReviewerProfile],
    *,
    method: str = "auto",
    aggregate: str | int = "mean",
    semantic_weight: float = 0.5,
    tag_weight: float = 0.5,
    cache: EmbeddingCache | None = None,
    progress: ProgressFn | None = None,
) -> np.ndarray:
    """Affinity in [0, 1] of each application document (rows) to each reviewer (columns).

    ``profiles`` holds one ``ReviewerProfile`` per reviewer (a plain list of keywords is
    read as a profile with those tags). ``method``: "auto" (the best installed), "hybrid"
    (TF-IDF and the semantic model, ``semantic_weight`` of the latter), "semantic" or
    "tfidf". ``aggregate``: "mean", "max" or k (the mean of the k best texts).
    ``tag_weight`` is the share of keyword coverage for reviewers with keywords.
    """
    for name, weight in (("semantic_weight", semantic_weight), ("tag_weight", tag_weight)):
        if not isinstance(weight, int | float) or not 0 <= weight <= 1:
            raise AffinityError(f"{name}: must lie between 0 and 1")
    if aggregate not in AGGREGATES and not (
        isinstance(aggregate, int) and not isinstance(aggregate, bool) and aggregate >= 1
    ):
        raise AffinityError("aggregate: must be 'mean', 'max' or a whole number of texts ≥ 1")
    if isinstance(documents, str | bytes) or not all(isinstance(d, str) for d in documents):
        raise AffinityError("documents: expected a list of texts, one per application")
    profiles = _as_profiles(profiles)
    method = resolve_method(method)
    n, m = len(documents), len(profiles)
    if n == 0 or m == 0:
        return np.zeros((n, m))
    texts, owners = [], []
    for r, profile in enumerate(profiles):
        for _kind, text in profile.texts():
            texts.append(text)
            owners.append(r)
    if not texts:
        return np.zeros((n, m))
    owner = np.asarray(owners, dtype=np.int64)
    # Mixed in place: each (n, m) array is 480 MB at 20,000 × 3,000.
    similarity = None  # a reviewer without texts stays at 0
    if method in ("tfidf", "hybrid"):
        vectors = _tfidf_vectors(documents, texts)
        if vectors is not None:
            similarity = _aggregate(*vectors, owner, m, aggregate)
            if method == "hybrid":
                similarity *= 1 - semantic_weight
    if method in ("semantic", "hybrid"):
        embedded = embed_texts([*documents, *texts], cache=cache, progress=progress)
        semantic = _aggregate(embedded[:n], embedded[n:], owner, m, aggregate)
        np.clip(semantic, 0, 1, out=semantic)
        if method == "hybrid":
            semantic *= semantic_weight
        if similarity is None:
            similarity = semantic
        else:
            similarity += semantic
        del semantic
    if similarity is None:
        similarity = np.zeros((n, m))
    tags = [profile.tags for profile in profiles]
    with_tags = np.array([any(t.strip() for t in ts) for ts in tags])
    if with_tags.any() and tag_weight > 0:
        coverage = tag_coverage(documents, tags)
        similarity[:, with_tags] = (1 - tag_weight) * similarity[:, with_tags] + (
            tag_weight * coverage[:, with_tags]
        )
    return np.clip(similarity, 0.0, 1.0, out=similarity)


@dataclass(frozen=True)
class Match:
    """One of a reviewer's texts and how well it matches an application."""

    kind: str  # "paper", "statement" or "keywords"
    text: str
    score: float


def best_matches(
    document: str,
    profile: ReviewerProfile,
    *,
    top: int = 3,
    method: str = "auto",
    cache: EmbeddingCache | None = None,
) -> list[Match]:
    """Why a reviewer fits an application: their texts that match it best, best first."""
    texts = profile.texts()
    if not texts or not document.strip():
        return []
    scores = affinity_matrix(
        [document],
        [ReviewerProfile(papers=(text,)) for _kind, text in texts],
        method=method,
        cache=cache,
    )[0]
    ranked = sorted(zip(texts, scores, strict=True), key=lambda item: -item[1])
    return [Match(kind, text, round(float(score), 3)) for (kind, text), score in ranked[:top]]
