"""Affinity at a national scale: 20,000 applications × 3,000 reviewers with 20 papers.

Targets (2 cores): under 60 s with the semantic model, under 10 s with TF-IDF only,
peak memory under 4 GiB, and a re-run with 1 % of the texts changed under 10 s (the
embeddings come from the cache). Texts are synthetic abstracts of about 150 words
drawn by topic, so that the sizes and the vocabulary are those of real abstracts.

    .venv/bin/python bench/affinity_scale.py [--applications 20000] [--reviewers 3000]

Each scenario runs in its own process, so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS_PER_TEXT, TOPICS, PAPERS = 150, 60, 20


def corpus(n_apps: int, n_reviewers: int, seed: int = 1):
    import wordllama
    from tokenizers import Tokenizer  # ships with the semantic extra and with TF-IDF runs alike

    vocab = Tokenizer.from_file(
        str(Path(wordllama.__file__).parent / "tokenizers" / "l2_supercat_tokenizer_config.json")
    ).get_vocab()
    words = sorted(w[1:] for w in vocab if w.startswith("▁") and w[1:].isalpha() and len(w) > 4)
    rng = np.random.default_rng(seed)
    words = np.array(words)
    topic_words = [rng.choice(len(words), 200, replace=False) for _ in range(TOPICS)]

    def text(topic: int) -> str:
        own = rng.choice(topic_words[topic], WORDS_PER_TEXT // 2)
        common = rng.choice(len(words), WORDS_PER_TEXT // 2)
        return " ".join(words[np.concatenate([own, common])])

    documents = [text(int(rng.integers(TOPICS))) for _ in range(n_apps)]
    papers = []
    for _ in range(n_reviewers):
        topic = int(rng.integers(TOPICS))
        papers.append(tuple(text(topic) for _ in range(PAPERS)))
    return documents, papers


def scenario(name: str, n_apps: int, n_reviewers: int) -> dict:
    from ascent.engine.affinity import MemoryEmbeddingCache, ReviewerProfile, affinity_matrix

    documents, papers = corpus(n_apps, n_reviewers)
    profiles = [ReviewerProfile(papers=p) for p in papers]
    method = "tfidf" if name == "tfidf" else "hybrid"
    cache = MemoryEmbeddingCache()
    if name == "rerun":
        affinity_matrix(documents, profiles, method=method, cache=cache)
        rng = np.random.default_rng(2)
        for i in rng.choice(n_apps, n_apps // 100, replace=False):
            documents[i] += " revised"
        for r in rng.choice(n_reviewers, n_reviewers // 100, replace=False):
            profiles[r] = ReviewerProfile(papers=tuple(p + " revised" for p in papers[r]))
    started = time.perf_counter()
    affinity = affinity_matrix(documents, profiles, method=method, cache=cache)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    return {"seconds": round(seconds, 1), "peak_gib": round(peak, 2), "shape": affinity.shape}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--reviewers", type=int, default=3_000)
    parser.add_argument("--scenario")
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(scenario(args.scenario, args.applications, args.reviewers), default=str))
        return
    print(f"{args.applications:,} applications × {args.reviewers:,} reviewers × {PAPERS} papers")
    print("| scenario | seconds | peak memory (GiB) | target |\n| --- | ---: | ---: | --- |")
    targets = {"tfidf": "< 10 s", "hybrid": "< 60 s", "rerun": "< 10 s (1 % changed)"}
    for name, target in targets.items():
        out = subprocess.run(
            [sys.executable, __file__, "--scenario", name,
             "--applications", str(args.applications), "--reviewers", str(args.reviewers)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        result = json.loads(out.strip().splitlines()[-1])
        print(f"| {name} | {result['seconds']} | {result['peak_gib']} | {target}, < 4 GiB |")


if __name__ == "__main__":
    main()
