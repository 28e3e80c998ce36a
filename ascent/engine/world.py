"""A synthetic selection program with known ground truth.

``generate_world`` simulates an astronaut-candidate program over several yearly cycles:
people with a latent merit per criterion (which grows for those who work on it) apply,
are screened against the program's requirements, are reviewed by reviewers with a
personal bias and noise, and each cycle is decided as the product decides it
(``engine.pipeline``: reviewers calibrated, the best ``capacity`` by the calibrated
composite selected, a waitlist after them). Those not selected may reapply. The panel's
raw mean is kept (``raw_composite``) as a cross-check. The true merit is kept beside what reviewers observed,
so later work can measure how well calibration and selection recover it.

One featured, fictional persona applies in every cycle, improves between cycles and is
selected in the last one.

Everything is deterministic for a seed. Per-application data is columnar NumPy; only
the answers (JSON-shaped dicts, as an application stores them) are Python objects.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields

import numpy as np

from . import astronaut, names
from .forms import FieldSpec
from .pipeline import calibrated_selection, review_arrays, waitlist_for
from .program import CriterionSpec, RequirementSpec, StageSpec
from .world_people import SCALE, People, PeopleBuilder

OUTCOMES = ("ineligible", "not_selected", "waitlisted", "selected")
INELIGIBLE, NOT_SELECTED, WAITLISTED, SELECTED = range(4)
DAY = 86_400.0


class WorldError(ValueError):
    """Parameters that cannot make a world; names the parameter and says why."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        self.message = message
        super().__init__(f"{parameter}: {message}")


@dataclass(frozen=True)
class WorldParams:
    seed: int = 0
    cycles: int = 12
    applicants_per_cycle: int = 2000
    reviewers: int = 120
    reviews_per_application: int = 3
    capacity: int = 12
    reapply_probability: float = 0.35
    reviewer_bias: float = 0.7  # sd of a reviewer's personal offset, in scale points
    reviewer_noise: float = 0.9  # sd of one score's noise, in scale points
    first_year: int = 2015


def check_world_params(p: WorldParams) -> None:
    """Raise WorldError for parameters that cannot make a world, naming which and why."""
    whole = [f.name for f in fields(p) if f.type == "int" and f.name not in {"seed", "first_year"}]
    for name in whole:
        value = getattr(p, name)
        minimum = 1
        if value < minimum:
            raise WorldError(name, f"must be at least {minimum} (got {value})")
    if p.capacity > p.applicants_per_cycle:
        raise WorldError(
            "capacity",
            f"{p.capacity:,} seats but only {p.applicants_per_cycle:,} applicants per cycle: "
            "a cycle cannot select more people than apply",
        )
    if p.reviews_per_application > p.reviewers:
        raise WorldError(
            "reviewers",
            f"each application needs {p.reviews_per_application} different reviewers "
            f"but the panel has {p.reviewers}",
        )
    if not 0 <= p.reapply_probability <= 1:
        raise WorldError("reapply_probability", "must be between 0 and 1")
    for name in ("reviewer_bias", "reviewer_noise"):
        if not 0 <= getattr(p, name) <= 5:
            raise WorldError(name, "must be between 0 and 5 scale points")
    if not 1900 <= p.first_year <= 2200:
        raise WorldError("first_year", "must be between 1900 and 2200")


@dataclass(frozen=True)
class Reviewers:
    name: list[str]
    email: list[str]
    organisation: np.ndarray  # (r,)
    expertise: list[tuple[str, ...]]
    bias: np.ndarray  # (r, n_criteria): the true offset each reviewer adds
    noise: np.ndarray  # (r,): the sd of each reviewer's noise
    load_limit: int  # reviews per cycle


@dataclass(frozen=True)
class WorldCycle:
    index: int
    year: int
    name: str
    slug: str
    opens_at: dt.datetime
    deadline: dt.datetime
    capacity: int
    person: np.ndarray  # (n,) person index of each application
    answers: list[dict]
    submitted_at: np.ndarray  # (n,) POSIX seconds
    true_merit: np.ndarray  # (n, n_criteria) ground truth
    eligible: np.ndarray  # (n,) bool
    failed: list[tuple[str, ...]]  # requirement keys each application fails
    review_application: np.ndarray  # (m,) application index within the cycle
    review_reviewer: np.ndarray  # (m,)
    scores: np.ndarray  # (m, n_criteria) int8, what reviewers observed
    composite: (
        np.ndarray
    )  # (n,) calibrated composite, as the product computes it; NaN when not reviewed
    raw_composite: np.ndarray  # (n,) the panel's weighted raw mean: a cross-check
    outcome: np.ndarray  # (n,) index into OUTCOMES
    rank: np.ndarray  # (n,) 1 = best among the eligible reviewed; 0 = not ranked
    selected: np.ndarray  # application indices, best first
    waitlist: np.ndarray  # application indices, in order

    @property
    def cutoff(self) -> float:
        return float(self.composite[self.selected[-1]]) if len(self.selected) else math.nan


@dataclass(frozen=True)
class World:
    params: WorldParams
    form: tuple[FieldSpec, ...]
    requirements: tuple[RequirementSpec, ...]
    criteria: tuple[CriterionSpec, ...]
    stages: tuple[StageSpec, ...]
    people: People
    reviewers: Reviewers
    conflicts: np.ndarray  # (k, 2) declared (person, reviewer) conflicts
    cycles: tuple[WorldCycle, ...]
    persona: int = 0
    persona_supporters: tuple[dict, ...] = field(default=())

    @property
    def weights(self) -> np.ndarray:
        return np.array([c.weight for c in self.criteria])

    def journey(self, person: int) -> list[tuple[int, int]]:
        """(cycle index, application index) of each application the person made."""
        return [(c.index, int(i)) for c in self.cycles for i in np.flatnonzero(c.person == person)]


def generate_world(
    seed: int = 0,
    cycles: int = 12,
    applicants_per_cycle: int = 2000,
    reviewers: int = 120,
    reviews_per_application: int = 3,
    capacity: int = 12,
    **options,
) -> World:
    """Simulate ``cycles`` yearly cycles of the astronaut-candidate program.

    Options are the other fields of WorldParams. Raises WorldError for parameters that
    cannot make a world.
    """
    params = WorldParams(
        seed=seed,
        cycles=cycles,
        applicants_per_cycle=applicants_per_cycle,
        reviewers=reviewers,
        reviews_per_application=reviews_per_application,
        capacity=capacity,
        **options,
    )
    check_world_params(params)
    return _Simulation(params).run()


class _Simulation:
    def __init__(self, params: WorldParams):
        self.p = params
        self.rng = np.random.default_rng(params.seed)
        self.criteria = astronaut.CRITERIA
        self.weights = np.array([c.weight for c in self.criteria])
        self.n_criteria = len(self.criteria)
        capacity = params.applicants_per_cycle * params.cycles
        self.people = PeopleBuilder(self.rng, capacity, self.n_criteria, params)
        self.reviewers = _make_reviewers(self.rng, params, self.n_criteria)
        self.declared: dict[int, list[int]] = {}

    def run(self) -> World:
        cycles = []
        returning = np.array([], dtype=np.int64)
        for t in range(self.p.cycles):
            newcomers = self.p.applicants_per_cycle - len(returning)
            fresh = self.people.add(newcomers, t)
            person = np.concatenate([returning, fresh])
            cycle = self._run_cycle(t, person)
            cycles.append(cycle)
            returning = self._reapplicants(cycle)
        return World(
            params=self.p,
            form=astronaut.FORM,
            requirements=astronaut.REQUIREMENTS,
            criteria=self.criteria,
            stages=astronaut.STAGES,
            people=self.people.build(),
            reviewers=self.reviewers,
            conflicts=np.array(
                [(a, r) for a, rs in sorted(self.declared.items()) for r in rs], dtype=np.int64
            ).reshape(-1, 2),
            cycles=tuple(cycles),
            persona_supporters=_PERSONA_SUPPORTERS,
        )

    def _run_cycle(self, t: int, person: np.ndarray) -> WorldCycle:
        year = self.p.first_year + t
        opens_at = dt.datetime(year, 1, 15, 9, 0, tzinfo=dt.UTC)
        deadline = dt.datetime(year, 3, 31, 17, 0, tzinfo=dt.UTC)
        merit = self.people.merit(person, t)
        profiles = [self.people.profile(int(i), t, deadline) for i in person]
        eligible = np.array([not prof.failed for prof in profiles])
        self._declare_conflicts(person[self.people.joined_at(person) == t])
        app, rev = self._assign(person, eligible)
        scores = self._score(merit[app], rev)
        composite, outcome, rank, selected, waitlist = self._decide(app, rev, scores, eligible)
        rush = self.rng.exponential(6 * DAY, len(person))
        submitted = np.maximum(deadline.timestamp() - rush, opens_at.timestamp() + 3600)
        return WorldCycle(
            index=t,
            year=year,
            name=f"{year} call",
            slug=str(year),
            opens_at=opens_at,
            deadline=deadline,
            capacity=self.p.capacity,
            person=person,
            answers=[prof.answers for prof in profiles],
            submitted_at=submitted,
            true_merit=merit,
            eligible=eligible,
            failed=[prof.failed for prof in profiles],
            review_application=app,
            review_reviewer=rev,
            scores=scores,
            composite=composite,
            raw_composite=_composite(scores, app, len(person), self.weights),
            outcome=outcome,
            rank=rank,
            selected=selected,
            waitlist=waitlist,
        )

    def _declare_conflicts(self, newcomers: np.ndarray) -> None:
        """About one reviewer in twenty knows one of this cycle's newcomers personally
        (newcomers only, so that a conflict is declared before any review of the person)."""
        knows = np.flatnonzero(self.rng.random(self.p.reviewers) < 0.05)
        if not len(newcomers):
            return
        for r in knows:
            acquaintance = int(newcomers[self.rng.integers(len(newcomers))])
            if acquaintance != 0:
                self.declared.setdefault(acquaintance, []).append(int(r))

    def _assign(self, person: np.ndarray, eligible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Give each eligible application k distinct reviewers without a conflict.

        Greedy, least-loaded first: the world needs a plausible panel, not an optimal
        one (the assignment engine does that).
        """
        k = self.p.reviews_per_application
        remaining = np.full(self.p.reviewers, self.reviewers.load_limit)
        org = self.reviewers.organisation
        apps = self.rng.permutation(np.flatnonzero(eligible))
        picked = np.empty((len(apps), k), dtype=np.int64)
        for row, a in enumerate(apps):
            free = (remaining > 0) & (org != self.people.organisation[person[a]])
            free[self.declared.get(int(person[a]), [])] = False
            candidates = np.flatnonzero(free)
            if len(candidates) < k:
                raise WorldError(
                    "reviewers",
                    f"too few reviewers: an application found only {len(candidates)} "
                    f"without a conflict or a full load, and needs {k}",
                )
            priority = remaining[candidates] + self.rng.random(len(candidates))
            chosen = candidates[np.argpartition(-priority, k - 1)[:k]]
            remaining[chosen] -= 1
            picked[row] = chosen
        order = np.argsort(apps, kind="stable")
        return np.repeat(apps[order], k), picked[order].ravel()

    def _score(self, merit: np.ndarray, reviewer: np.ndarray) -> np.ndarray:
        noise = self.rng.standard_normal(merit.shape) * self.reviewers.noise[reviewer, None]
        observed = merit + self.reviewers.bias[reviewer] + noise
        return np.clip(np.rint(observed), *SCALE).astype(np.int8)

    def _decide(self, app, rev, scores, eligible):
        """Decide the cycle as the product does (engine.pipeline: calibrated merit, then
        selection with a waitlist) on the applications in review, in the order the
        product reads them. Returns composite, outcome, rank, selected, waitlist."""
        n, k = len(eligible), scores.shape[1]
        in_review = np.flatnonzero(eligible)
        position = np.full(n, -1, dtype=np.int64)
        position[in_review] = np.arange(len(in_review))
        reviews, m = review_arrays(np.repeat(position[app], k), np.repeat(rev, k),
                                   np.tile(np.arange(k), len(app)), scores.ravel())  # fmt: skip
        fit, sel = calibrated_selection(
            reviews, n_applications=len(in_review), n_reviewers=m, n_criteria=k,
            weights=self.weights, capacity=self.p.capacity,
            waitlist=waitlist_for(self.p.capacity), scale=SCALE,
        )  # fmt: skip
        composite = np.full(n, np.nan)
        composite[in_review] = fit.composite(self.weights)
        selected, waiting = in_review[sel.selected], in_review[sel.waitlist]
        outcome = np.where(eligible, NOT_SELECTED, INELIGIBLE).astype(np.int8)
        outcome[waiting] = WAITLISTED
        outcome[selected] = SELECTED
        rank = np.zeros(n, dtype=np.int64)
        rank[in_review] = sel.rank
        return composite, outcome, rank, selected, waiting

    def _reapplicants(self, cycle: WorldCycle) -> np.ndarray:
        """Those not selected come back, more often if they work on their gap."""
        p = self.p.reapply_probability
        person = cycle.person
        chance = np.where(self.people.works_on_it[person], min(1.0, 1.5 * p), 0.5 * p)
        back = (self.rng.random(len(person)) < chance) & (cycle.outcome != SELECTED)
        back |= person == 0  # the persona never gives up
        back &= ~((person == 0) & (cycle.outcome == SELECTED))
        returning = person[back]
        if len(returning) > self.p.applicants_per_cycle:
            others = self.rng.permutation(returning[returning != 0])
            keep = self.p.applicants_per_cycle - int(np.any(returning == 0))
            returning = np.concatenate([returning[returning == 0], np.sort(others[:keep])])
        return returning


def _composite(scores: np.ndarray, app: np.ndarray, n: int, weights: np.ndarray) -> np.ndarray:
    counts = np.bincount(app, minlength=n)
    sums = np.zeros((n, scores.shape[1]))
    np.add.at(sums, app, scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums / counts[:, None]
    composite = mean @ weights
    composite[counts == 0] = np.nan
    return composite


def _make_reviewers(rng: np.random.Generator, p: WorldParams, n_criteria: int) -> Reviewers:
    first = rng.integers(len(names.FIRST_NAMES), size=p.reviewers)
    last = rng.integers(len(names.LAST_NAMES), size=p.reviewers)
    full = [
        f"{names.FIRST_NAMES[f]} {names.LAST_NAMES[s]}" for f, s in zip(first, last, strict=True)
    ]
    offset = rng.normal(0, p.reviewer_bias, p.reviewers)
    per_criterion = rng.normal(0, 0.25 * p.reviewer_bias, (p.reviewers, n_criteria))
    tags = names.EXPERTISE_TAGS
    expertise = [
        tuple(
            sorted(tags[i] for i in rng.choice(len(tags), size=rng.integers(2, 4), replace=False))
        )
        for _ in range(p.reviewers)
    ]
    # Enough load for every applicant to be reviewed, with slack for conflicts.
    need = p.applicants_per_cycle * p.reviews_per_application / p.reviewers
    return Reviewers(
        name=full,
        email=[f"reviewer{r + 1}@panel.example.org" for r in range(p.reviewers)],
        organisation=rng.integers(len(names.ORGANISATIONS) - 1, size=p.reviewers),
        expertise=expertise,
        bias=offset[:, None] + per_criterion,
        noise=p.reviewer_noise * rng.lognormal(0, 0.25, p.reviewers),
        load_limit=math.ceil(need * 1.15) + 2,
    )


# The persona's people: family, a teacher and a mentor who follow her journey.
_PERSONA_SUPPORTERS = (
    {
        "name": "Lucía Castellanos",
        "email": "lucia.castellanos@example.org",
        "relationship": "family",
    },
    {"name": "Tomás Rivera", "email": "tomas.rivera@example.org", "relationship": "teacher"},
    {"name": "Amara Nwosu", "email": "amara.nwosu@example.org", "relationship": "mentor"},
)
