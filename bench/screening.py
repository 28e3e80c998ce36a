"""Benchmark: eligibility screening with the astronaut rule set, on one core.

    python bench/screening.py [--applications 200000]

Generates one cycle of the synthetic world (20,000 applications, seed 0), then screens
``--applications`` of them (the cycle repeated) with ``rules.screen`` (the fast path that
bulk screening uses: pass or fail per requirement) and, on a tenth as many, with
``rules.evaluate`` (the full explanation tree a person reads). Both run in this one
process, so the rate is per core. It also checks that the two agree with the world's
own screening on every application. Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ascent.engine.astronaut import FORM, REQUIREMENTS  # noqa: E402
from ascent.engine.rules import compile_rule, evaluate, screen  # noqa: E402
from ascent.engine.world import generate_world  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=200_000)
    args = parser.parse_args()
    world = generate_world(seed=0, cycles=1, applicants_per_cycle=20_000, reviewers=600)
    cycle = world.cycles[0]
    on = cycle.deadline.date()
    rules = [compile_rule(spec.rule, FORM) for spec in REQUIREMENTS]
    keys = [spec.key for spec in REQUIREMENTS]
    clauses = sum(_clauses(spec.rule) for spec in REQUIREMENTS)

    passes = screen(rules, cycle.answers, on=on)
    for i, row in enumerate(passes):
        failed = tuple(k for k, ok in zip(keys, row, strict=True) if not ok)
        assert failed == tuple(cycle.failed[i]), (i, failed, cycle.failed[i])

    answers = (cycle.answers * (args.applications // len(cycle.answers) + 1))[: args.applications]
    start = time.perf_counter()
    screen(rules, answers, on=on)
    fast = time.perf_counter() - start

    sample = answers[: max(1, args.applications // 10)]
    start = time.perf_counter()
    for one in sample:
        for rule in rules:
            evaluate(rule, one, on=on)
    slow = time.perf_counter() - start

    eligible = passes.all(axis=1).mean()
    print(f"Astronaut rule set: {len(rules)} requirements, {clauses} comparison clauses; "
          f"{eligible:.0%} of applications eligible; agreement with the world: all "
          f"{len(cycle.answers):,}")  # fmt: skip
    print()
    print("| path | applications | time | applications/s (one core) |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| screen (pass/fail per requirement) | {len(answers):,} | {fast:.2f} s | "
          f"{len(answers) / fast:,.0f} |")  # fmt: skip
    print(f"| evaluate (full explanation) | {len(sample):,} | {slow:.2f} s | "
          f"{len(sample) / slow:,.0f} |")  # fmt: skip


def _clauses(rule) -> int:
    if isinstance(rule, dict):
        own = 1 if "op" in rule else 0
        return own + sum(_clauses(v) for v in rule.values() if isinstance(v, dict | list))
    if isinstance(rule, list):
        return sum(_clauses(v) for v in rule)
    return 0


if __name__ == "__main__":
    main()
