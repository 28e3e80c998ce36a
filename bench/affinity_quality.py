"""How well ``affinity_matrix`` orders applications for a reviewer: a validation set.

The expertise benchmark of the issue (researchers rating their own expertise on papers)
stays with its reviewers, so this builds a stand-in from data a registry ships: Debian's
package index (``apt-cache dumpavail``), where every package has a one-line description
written by people and topic tags (debtags, "field::biology", "works-with::image") set by
hand, independently of the words.

- A *reviewer* is a maintainer (a person or a team) with at least 25 packages; their
  *papers* are 20 of their packages' descriptions.
- Each reviewer "rates" 10 packages they do not maintain, sampled across the range: the
  rating is the cosine between the package's tags and the tags of everything the
  maintainer keeps, in six grades (0: no tag shared; then cosine steps of 0.15), two
  packages per grade where there are. The text scorers never see the tags.
- The loss is the issue's: over pairs of packages a reviewer rated differently, the
  share (weighted by the rating difference) that the scorer orders the other way; a tie
  counts half. 0.5 is no signal, lower is better.

    .venv/bin/python bench/affinity_quality.py [--seed 7]

Prints one table: method × aggregate, loss and seconds.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ascent.engine.affinity import ReviewerProfile, affinity_matrix, semantic_available

FACETS = ("field", "works-with", "works-with-format", "use", "game", "hardware", "sound",
          "science", "biology", "culture", "security", "web", "mail", "network", "admin")  # fmt: skip
PAPERS, RATED, MIN_PACKAGES = 20, 10, 25
BINS = (1e-9, 0.15, 0.3, 0.45, 0.6)


def packages() -> list[dict]:
    text = subprocess.run(
        ["apt-cache", "dumpavail"], capture_output=True, text=True, check=True
    ).stdout
    seen_sources, found = set(), []
    for block in text.split("\n\n"):
        fields = dict(re.findall(r"^([\w-]+): (.*(?:\n .*)*)", block, re.MULTILINE))
        if "Description" not in fields or "Tag" not in fields:
            continue
        source = fields.get("Source", fields.get("Package", "")).split(" ")[0]
        tags = {
            t.strip() for t in fields["Tag"].replace("\n", " ").split(",")
            if t.strip().split("::")[0] in FACETS
        }  # fmt: skip
        if not tags or source in seen_sources:
            continue
        seen_sources.add(source)
        maintainer = re.sub(r".*<(.*)>.*", r"\1", fields.get("Maintainer", ""))
        found.append({"source": source, "text": fields["Description"].split("\n")[0],
                      "tags": tags, "maintainer": maintainer})  # fmt: skip
    return found


def build(seed: int):
    rng = np.random.default_rng(seed)
    items = packages()
    by_maintainer = defaultdict(list)
    for index, item in enumerate(items):
        by_maintainer[item["maintainer"]].append(index)
    tag_index = {t: i for i, t in enumerate(sorted({t for it in items for t in it["tags"]}))}
    tags = np.zeros((len(items), len(tag_index)))
    for i, item in enumerate(items):
        tags[i, [tag_index[t] for t in item["tags"]]] = 1
    tags /= np.linalg.norm(tags, axis=1, keepdims=True)
    reviewers, rated, documents = [], [], {}
    for _maintainer, own in sorted(by_maintainer.items()):
        if len(own) < MIN_PACKAGES:
            continue
        profile = tags[own].sum(axis=0)
        profile /= np.linalg.norm(profile)
        others = np.setdiff1d(np.arange(len(items)), own)
        score = tags[others] @ profile
        # 10 packages across the range: 5 from those sharing a tag, 5 at random
        level = np.digitize(score, BINS)  # 0 (no shared tag) .. 5
        pick = []
        for grade in range(len(BINS) + 1):
            pool = others[level == grade]
            pick.extend(rng.choice(pool, min(2, len(pool)), replace=False))
        pick = np.array(pick[:RATED] if len(pick) >= RATED else pick)
        ratings = np.digitize(tags[pick] @ profile, BINS).astype(float)
        if len(set(ratings)) < 2:
            continue
        papers = rng.choice(own, PAPERS, replace=False)
        reviewers.append(ReviewerProfile(papers=tuple(items[i]["text"] for i in papers)))
        rated.append((pick, ratings))
        for i in pick:
            documents.setdefault(int(i), items[int(i)]["text"])
    return reviewers, rated, documents


def loss(scores: np.ndarray, rated, row_of) -> float:
    wrong = total = 0.0
    for r, (pick, ratings) in enumerate(rated):
        s = scores[[row_of[int(i)] for i in pick], r]
        for a in range(len(pick)):
            for b in range(len(pick)):
                if ratings[a] > ratings[b]:
                    weight = ratings[a] - ratings[b]
                    total += weight
                    wrong += weight * (1.0 if s[a] < s[b] else 0.5 if s[a] == s[b] else 0.0)
    return wrong / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    reviewers, rated, documents = build(args.seed)
    rows = list(documents)
    row_of = {i: k for k, i in enumerate(rows)}
    texts = [documents[i] for i in rows]
    ratings = Counter(int(x) for _p, rs in rated for x in rs)
    print(f"{len(reviewers)} reviewers × {PAPERS} papers, {len(texts)} rated packages; "
          f"ratings {dict(sorted(ratings.items()))}")  # fmt: skip
    methods = ["tfidf"] + (["semantic", "hybrid"] if semantic_available() else [])
    print("| method | aggregate | loss | seconds |\n| --- | --- | ---: | ---: |")
    for method in methods:
        for aggregate in ("mean", "max", 3):
            started = time.perf_counter()
            scores = affinity_matrix(texts, reviewers, method=method, aggregate=aggregate)
            seconds = time.perf_counter() - started
            print(f"| {method} | {aggregate} | {loss(scores, rated, row_of):.3f} | {seconds:.1f} |")
    if semantic_available():
        for weight in (0.3, 0.7):
            scores = affinity_matrix(texts, reviewers, method="hybrid", semantic_weight=weight)
            print(
                f"| hybrid, semantic weight {weight} | mean | {loss(scores, rated, row_of):.3f} | |"
            )


if __name__ == "__main__":
    main()
