"""The applicants of the synthetic world: who they are, what they answer, how they grow.

Each person's attributes are drawn once, when they first apply; what they answer in a
later cycle (hours flown, a master's degree gained, years of experience) and their true
merit follow from those attributes and the cycle, so nothing is mutated along the way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import astronaut, names

if TYPE_CHECKING:
    from .world import WorldParams

SCALE = (1, 10)
YEAR_DAYS = 365.25
NEVER = 1 << 30

STATES = tuple(code for code, _ in astronaut.MEMBER_STATES + astronaut.OTHER_STATES)
MEMBERS = frozenset(code for code, _ in astronaut.MEMBER_STATES)
FIELDS = tuple(code for code, _ in astronaut.STEM_FIELDS + astronaut.OTHER_FIELDS)
STEM = frozenset(code for code, _ in astronaut.STEM_FIELDS)
MEDICAL = tuple(code for code, _ in astronaut.MEDICAL_CLASSES)
LANGUAGES = tuple(code for code, _ in astronaut.LANGUAGES)
PERSONA_ORGANISATION = names.ORGANISATIONS.index("Aurora Flight Test Centre")


@dataclass(frozen=True)
class People:
    """Everyone who ever applies; index 0 is the featured persona."""

    name: list[str]
    email: list[str]
    organisation: np.ndarray  # (n,) index into names.ORGANISATIONS
    joined: np.ndarray  # (n,) cycle of the first application
    works_on_it: np.ndarray  # (n,) bool: merit grows over the years
    base_merit: np.ndarray  # (n, n_criteria) merit in the first cycle
    growth: np.ndarray  # (n, n_criteria) merit gained per year
    recommenders: list[tuple[dict, dict]]  # two recommenders per person

    def __len__(self) -> int:
        return len(self.name)


@dataclass(frozen=True)
class Profile:
    answers: dict
    failed: tuple[str, ...]  # keys of the requirements not met


class PeopleBuilder:
    """Columnar storage for people, filled cycle by cycle."""

    def __init__(
        self, rng: np.random.Generator, capacity: int, n_criteria: int, params: WorldParams
    ):
        self.rng, self.n, self.p = rng, 0, params
        self.n_criteria = n_criteria
        ints = ("first", "last", "birth", "state", "org", "joined", "bachelor_field", "bachelor_year",
                "master_field", "master_gain", "doctorate_year", "experience_start", "medical", "languages")  # fmt: skip
        self.cols = {name: np.zeros(capacity, dtype=np.int64) for name in ints}
        for name in ("jet_hours", "jet_rate", "piston_hours"):
            self.cols[name] = np.zeros(capacity)
        self.cols["works_on_it"] = np.zeros(capacity, dtype=bool)
        self.base = np.zeros((capacity, n_criteria))
        self.growth = np.zeros((capacity, n_criteria))
        self.recommenders: list[tuple[dict, dict]] = []

    @property
    def organisation(self) -> np.ndarray:
        return self.cols["org"]

    @property
    def works_on_it(self) -> np.ndarray:
        return self.cols["works_on_it"]

    def joined_at(self, person: np.ndarray) -> np.ndarray:
        return self.cols["joined"][person]

    def add(self, count: int, cycle: int) -> np.ndarray:
        """Draw ``count`` new people joining at ``cycle``; the very first is the persona."""
        start, rng, c = self.n, self.rng, self.cols
        idx = np.arange(start, start + count)
        self.n += count
        year = self.p.first_year + cycle
        c["first"][idx] = rng.integers(len(names.FIRST_NAMES), size=count)
        c["last"][idx] = rng.integers(len(names.LAST_NAMES), size=count)
        born = rng.integers(_ordinal(year - 45), _ordinal(year - 25), size=count)
        c["birth"][idx] = born
        members = len(astronaut.MEMBER_STATES)
        c["state"][idx] = np.where(
            rng.random(count) < 0.95,
            rng.integers(members, size=count),
            rng.integers(members, len(STATES), size=count),
        )
        c["org"][idx] = rng.integers(len(names.ORGANISATIONS), size=count)
        c["joined"][idx] = cycle
        self._draw_education(idx, born, year)
        self._draw_flying(idx)
        c["medical"][idx] = rng.choice(4, size=count, p=[0.02, 0.03, 0.10, 0.85])
        c["languages"][idx] = 1 | (rng.integers(0, 1 << len(LANGUAGES), size=count) & ~1)
        self._draw_merit(idx)
        self.recommenders.extend(self._draw_recommenders(i) for i in idx)
        if start == 0:
            self._make_persona(cycle)
        return idx

    def _draw_education(self, idx: np.ndarray, born: np.ndarray, year: int) -> None:
        rng, c, count = self.rng, self.cols, len(idx)
        stem, n_fields = len(astronaut.STEM_FIELDS), len(FIELDS)
        c["bachelor_field"][idx] = np.where(
            rng.random(count) < 0.88,
            rng.integers(stem, size=count),
            rng.integers(stem, n_fields, size=count),
        )
        c["bachelor_year"][idx] = [_year(b) + 22 for b in born]
        switch = rng.random(count) < 0.3
        c["master_field"][idx] = np.where(
            switch, rng.integers(stem, size=count), c["bachelor_field"][idx]
        )
        has_master = rng.random(count) < 0.86
        works = rng.random(count) < 0.45
        c["works_on_it"][idx] = works
        gain_at = c["joined"][idx] + rng.integers(1, 4, size=count)
        later = ~has_master & works & (rng.random(count) < 0.6)
        c["master_gain"][idx] = np.where(has_master, -NEVER, np.where(later, gain_at, NEVER))
        doctorate = has_master & (rng.random(count) < 0.3)
        c["doctorate_year"][idx] = np.where(doctorate, c["bachelor_year"][idx] + 6, 0)
        starts = born + (rng.uniform(22, 27, size=count) * YEAR_DAYS).astype(np.int64)
        c["experience_start"][idx] = np.where(
            rng.random(count) < 0.03, 0, np.minimum(starts, _ordinal(year))
        )

    def _draw_flying(self, idx: np.ndarray) -> None:
        rng, c, count = self.rng, self.cols, len(idx)
        pilot = rng.random(count) < 0.3
        c["jet_hours"][idx] = np.where(pilot, rng.uniform(300, 2500, size=count), 0)
        c["jet_rate"][idx] = np.where(pilot, rng.uniform(80, 300, size=count), 0)
        c["piston_hours"][idx] = np.where(
            rng.random(count) < 0.35, rng.uniform(10, 400, size=count), 0
        )

    def _draw_merit(self, idx: np.ndarray) -> None:
        rng, count, k = self.rng, len(idx), self.n_criteria
        general = rng.standard_normal((count, 1))
        base = 5.0 + 1.1 * general + 0.7 * rng.standard_normal((count, k))
        base[:, 1] += np.where(self.cols["jet_hours"][idx] > 0, 1.0, 0.0)  # pilots: operational
        self.base[idx] = np.clip(base, *SCALE)
        works = self.cols["works_on_it"][idx]
        focus = rng.random((count, k)) < 0.55
        growth = np.where(
            focus & works[:, None],
            rng.uniform(0.15, 0.45, (count, k)),
            rng.uniform(0, 0.04, (count, k)),
        )
        self.growth[idx] = growth

    def _draw_recommenders(self, person: int) -> tuple[dict, dict]:
        rng = self.rng
        pair = []
        for slot in range(2):
            first = names.FIRST_NAMES[rng.integers(len(names.FIRST_NAMES))]
            last = names.LAST_NAMES[rng.integers(len(names.LAST_NAMES))]
            relationship = names.RELATIONSHIPS[rng.integers(len(names.RELATIONSHIPS))]
            email = f"{first}.{last}.r{person}{slot}@referees.example.org".lower()
            pair.append({"name": f"{first} {last}", "email": email, "relationship": relationship})
        return pair[0], pair[1]

    def _make_persona(self, cycle: int) -> None:
        """Maya Castellanos (fictional): ineligible at first, then closer every year."""
        c, first_year, n = self.cols, self.p.first_year, self.p.cycles
        early = min(3, n - 1)  # cycles she lacks the experience for
        c["birth"][0] = _ordinal(first_year - 24) + 133
        c["state"][0] = STATES.index("CL")
        c["org"][0] = PERSONA_ORGANISATION
        c["bachelor_field"][0] = FIELDS.index("physics")
        c["bachelor_year"][0] = first_year - 2
        c["master_field"][0] = FIELDS.index("aerospace_engineering")
        c["master_gain"][0] = -NEVER
        c["doctorate_year"][0] = 0
        c["experience_start"][0] = _ordinal(first_year + early) + 90 - int(3.2 * YEAR_DAYS)
        c["jet_hours"][0], c["jet_rate"][0], c["piston_hours"][0] = 0.0, 0.0, 60.0
        c["medical"][0] = MEDICAL.index("class_1")
        c["languages"][0] = 0b11
        c["works_on_it"][0] = True
        self.recommenders[0] = (
            {
                "name": "Tomás Rivera",
                "email": "tomas.rivera@example.org",
                "relationship": "teacher",
            },
            {"name": "Amara Nwosu", "email": "amara.nwosu@example.org", "relationship": "mentor"},
        )

    def merit(self, person: np.ndarray, cycle: int) -> np.ndarray:
        years = cycle - self.cols["joined"][person]
        merit = np.clip(self.base[person] + self.growth[person] * years[:, None], *SCALE)
        merit[person == 0] = persona_merit(cycle, self.p.cycles)
        return merit

    def profile(self, i: int, cycle: int, deadline: dt.datetime) -> Profile:
        c = self.cols
        degrees = self._degrees(i, cycle)
        flights = self._flights(i, cycle)
        answers = {
            "full_name": self._name(i),
            "date_of_birth": dt.date.fromordinal(int(c["birth"][i])).isoformat(),
            "citizenship": STATES[c["state"][i]],
            "organisation": names.ORGANISATIONS[c["org"][i]],
            "degrees": degrees,
            "flights": flights,
            "medical_class": MEDICAL[c["medical"][i]],
            "languages": [
                code for bit, code in enumerate(LANGUAGES) if c["languages"][i] >> bit & 1
            ],
            "statement": self._statement(i, cycle),
        }
        if c["experience_start"][i]:
            answers["experience_start"] = dt.date.fromordinal(
                int(c["experience_start"][i])
            ).isoformat()
        return Profile(answers, self._failed(i, answers, deadline.date()))

    def _degrees(self, i: int, cycle: int) -> list[dict]:
        c = self.cols
        institution = names.INSTITUTIONS[i % len(names.INSTITUTIONS)]
        bachelor_year = int(c["bachelor_year"][i])
        degrees = [{"level": "bachelor", "field": FIELDS[c["bachelor_field"][i]],
                    "institution": institution, "year": bachelor_year}]  # fmt: skip
        if cycle >= c["master_gain"][i]:
            gained = (
                bachelor_year + 2
                if c["master_gain"][i] < 0
                else self.p.first_year + int(c["master_gain"][i]) - 1
            )
            degrees.append({"level": "master", "field": FIELDS[c["master_field"][i]],
                            "institution": institution, "year": gained})  # fmt: skip
        if c["doctorate_year"][i]:
            degrees.append({"level": "doctorate", "field": FIELDS[c["master_field"][i]],
                            "institution": institution, "year": int(c["doctorate_year"][i])})  # fmt: skip
        return degrees

    def _flights(self, i: int, cycle: int) -> list[dict]:
        c = self.cols
        years = cycle - int(c["joined"][i])
        flights = []
        if i == 0:
            jet = persona_jet_hours(cycle, self.p.cycles)
            if jet:
                flights.append({"aircraft_type": "jet", "role": "pilot_in_command", "hours": jet})
        elif c["jet_hours"][i]:
            jet = round(float(c["jet_hours"][i] + c["jet_rate"][i] * years))
            flights.append({"aircraft_type": "jet", "role": "pilot_in_command", "hours": jet})
            flights.append(
                {"aircraft_type": "turboprop", "role": "co_pilot", "hours": round(jet * 0.4)}
            )
        if c["piston_hours"][i]:
            flights.append({"aircraft_type": "piston", "role": "student",
                            "hours": round(float(c["piston_hours"][i]) + 15 * years)})  # fmt: skip
        return flights

    def _failed(self, i: int, answers: dict, on: dt.date) -> tuple[str, ...]:
        """The world's own screening, computed from the answers it generated."""
        failed = []
        if answers["citizenship"] not in MEMBERS:
            failed.append("citizenship")
        if not any(d["level"] != "bachelor" and d["field"] in STEM for d in answers["degrees"]):
            failed.append("stem_degree")
        jet = sum(
            f["hours"]
            for f in answers["flights"]
            if f["aircraft_type"] == "jet" and f["role"] == "pilot_in_command"
        )
        start = answers.get("experience_start")
        years = (on - dt.date.fromisoformat(start)).days / YEAR_DAYS if start else 0.0
        if jet < 1000 and years < 3:
            failed.append("experience")
        if MEDICAL.index(answers["medical_class"]) < MEDICAL.index("class_2"):
            failed.append("medical")
        return tuple(failed)

    def _name(self, i: int) -> str:
        if i == 0:
            return "Maya Castellanos"
        return (
            f"{names.FIRST_NAMES[self.cols['first'][i]]} {names.LAST_NAMES[self.cols['last'][i]]}"
        )

    def _statement(self, i: int, cycle: int) -> str:
        years = cycle - int(self.cols["joined"][i])
        org = names.ORGANISATIONS[self.cols["org"][i]]
        again = (
            f" This is my application number {years + 1}; since the last one I have worked on my gaps."
            if years
            else ""
        )
        return f"I work at {org} and want to serve as an astronaut candidate.{again}"

    def build(self) -> People:
        n = self.n
        return People(
            name=[self._name(i) for i in range(n)],
            email=[_email(self._name(i), i) for i in range(n)],
            organisation=self.cols["org"][:n].copy(),
            joined=self.cols["joined"][:n].copy(),
            works_on_it=self.cols["works_on_it"][:n].copy(),
            base_merit=self.base[:n].copy(),
            growth=self.growth[:n].copy(),
            recommenders=self.recommenders[:n],
        )


def persona_merit(cycle: int, cycles: int) -> np.ndarray:
    """The persona's true merit: steady growth, then the year it all comes together."""
    last = cycles - 1
    final = np.array([9.8, 9.4, 9.7, 9.5, 9.6, 9.7])
    if cycle >= last:
        return final
    level = 3.8 + 2.6 * cycle / max(1, last - 1)
    early_shape = np.array([0.6, -0.8, 0.3, -0.2, -1.0, 0.2]) * (1 - cycle / max(1, last))
    return np.clip(level + early_shape, *SCALE)


def persona_jet_hours(cycle: int, cycles: int) -> int:
    """Flight-test work starts in the second half of her journey: 1,150 h by the end."""
    start = cycles // 2
    if cycle < start:
        return 0
    return round(1150 * (cycle - start + 1) / (cycles - start))


def _ordinal(year: int) -> int:
    return dt.date(year, 1, 1).toordinal()


def _year(ordinal: int) -> int:
    return dt.date.fromordinal(int(ordinal)).year


def _email(name: str, i: int) -> str:
    ascii_name = name.lower().replace(" ", ".").encode("ascii", "ignore").decode()
    return f"{ascii_name}.{i}@applicants.example.org" if i else "maya.castellanos@example.org"
