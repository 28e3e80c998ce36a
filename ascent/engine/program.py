"""A program's definition as plain data: criteria, requirements and stages.

The Django apps store these in the database; the engine and the synthetic world use
them directly. Nothing here knows about Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STAGE_KINDS = ("screening", "review", "interview", "selection")


@dataclass(frozen=True)
class Level:
    """What one score of a criterion means, and what helps to reach it."""

    score: int
    description: str
    advice: str


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    name: str
    description: str
    weight: float
    levels: tuple[Level, ...]
    advice: str
    scale: tuple[int, int] = (1, 10)


@dataclass(frozen=True)
class RequirementSpec:
    """An eligibility rule, written as JSON data (never code to eval)."""

    key: str
    name: str
    description: str
    rule: dict[str, Any]


@dataclass(frozen=True)
class StageSpec:
    key: str
    name: str
    kind: str
    reviews_per_application: int = 0


def banded_levels(scale: tuple[int, int], bands: list[tuple[int, str, str]]) -> tuple[Level, ...]:
    """Spell out one Level per score from bands given as (lowest score, description, advice)."""
    low, high = scale
    levels = []
    for score in range(low, high + 1):
        _, description, advice = max((b for b in bands if b[0] <= score), key=lambda b: b[0])
        levels.append(Level(score, description, advice))
    return tuple(levels)
