"""Write a synthetic world into the database with bulk operations, in one transaction.

Either the whole world is there afterwards or none of it: a failure half-way leaves the
database as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from ascent.applications.domain.screening import screen_cycle
from ascent.applications.models import (
    Applicant,
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Reference,
    ReferenceState,
    Supporter,
)
from ascent.common.domain.audit import record
from ascent.decisions.domain.deciding import decide_cycle, release_decisions
from ascent.decisions.models import Decision
from ascent.engine import astronaut, astronaut_es, names
from ascent.engine.world import World, WorldCycle
from ascent.programs.models import (
    Criterion,
    Cycle,
    CycleState,
    FormField,
    Program,
    Requirement,
    Stage,
)
from ascent.review.models import Assignment, Conflict, ConflictSource, Review, Reviewer, Score

BATCH = 5000
Progress = Callable[[str, int], None]  # (what was written, how many rows)

S = ApplicationStatus

IDENTIFYING = astronaut.IDENTIFYING


class WorldExists(Exception):
    """The world's program is already in the database."""


@dataclass
class LoadSummary:
    program: Program
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def load_world(world: World, *, progress: Progress | None = None) -> LoadSummary:
    """Create the world's program with all its cycles, people, reviews and decisions.

    Raises WorldExists when a program with the world's slug is already there.
    """
    if Program.objects.filter(slug=astronaut.PROGRAM_SLUG).exists():
        raise WorldExists(
            f"the program '{astronaut.PROGRAM_SLUG}' is already in the database; "
            "use --replace to load a fresh world in its place"
        )
    with transaction.atomic():
        return _Loader(world, progress or (lambda what, n: None)).run()


class _Loader:
    def __init__(self, world: World, progress: Progress):
        self.world = world
        self.progress = progress
        self.rows: dict[str, int] = {}
        self.now = dt.datetime.now(dt.UTC)

    def step(self, what: str) -> None:
        self.progress(what, 0)

    def bulk(self, model, objects: list, what: str | None = None) -> list:
        created = model.objects.bulk_create(objects, batch_size=BATCH)
        label = what or model._meta.verbose_name_plural
        self.rows[str(label)] = self.rows.get(str(label), 0) + len(created)
        self.progress(str(label), len(created))
        return created

    def run(self) -> LoadSummary:
        w = self.world
        self.program = Program.objects.create(
            name=astronaut.PROGRAM_NAME,
            slug=astronaut.PROGRAM_SLUG,
            organisation=astronaut.PROGRAM_ORGANISATION,
            description=astronaut.PROGRAM_DESCRIPTION,
            translations={"es": astronaut_es.PROGRAM},
        )
        self.applicant_ids = self._people()
        self.reviewer_ids = self._reviewers()
        self._conflicts()
        last_application: dict[int, int] = {}  # person -> application id
        last_reference: dict[tuple[int, int], int] = {}  # (person, slot) -> reference id
        for cycle in w.cycles:
            self._cycle(cycle, last_application, last_reference)
        self._supporters()
        record(None, "world.loaded", self.program, params=w.params.__dict__, rows=self.rows)
        return LoadSummary(self.program, self.rows)

    def _users(self, full_names: list[str], emails: list[str]) -> list:
        User = get_user_model()
        unusable = make_password(None)  # one unusable hash: nobody logs in as a simulated person
        return self.bulk(
            User,
            [
                User(username=email, email=email, first_name=name, password=unusable)
                for name, email in zip(full_names, emails, strict=True)
            ],
            "users",
        )

    def _people(self) -> np.ndarray:
        people = self.world.people
        users = self._users(people.name, people.email)
        applicants = self.bulk(
            Applicant,
            [
                Applicant(
                    user_id=u.pk,
                    display_name=name,
                    organisation=names.ORGANISATIONS[org],
                )
                for u, name, org in zip(users, people.name, people.organisation, strict=True)
            ],
        )
        self.user_ids = np.array([u.pk for u in users])
        return np.array([a.pk for a in applicants])

    def _reviewers(self) -> np.ndarray:
        r = self.world.reviewers
        users = self._users(r.name, r.email)
        reviewers = self.bulk(
            Reviewer,
            [
                Reviewer(
                    user_id=u.pk,
                    program=self.program,
                    display_name=name,
                    organisation=names.ORGANISATIONS[org],
                    expertise=list(tags),
                    statement=" ".join(names.EXPERTISE_STATEMENTS[tag] for tag in tags),
                    papers=[p for tag in tags for p in names.EXPERTISE_PAPERS.get(tag, ())],
                    load_limit=r.load_limit,
                )
                for u, name, org, tags in zip(
                    users, r.name, r.organisation, r.expertise, strict=True
                )
            ],
        )
        return np.array([x.pk for x in reviewers])

    def _conflicts(self) -> None:
        pairs = {(int(p), int(r)) for p, r in self.world.conflicts}
        self.bulk(
            Conflict,
            [
                Conflict(
                    reviewer_id=self.reviewer_ids[r],
                    applicant_id=self.applicant_ids[p],
                    source=ConflictSource.DECLARED,
                    reason="Knows the applicant personally.",
                )
                for p, r in sorted(pairs)
            ],
        )

    def _cycle(self, wc: WorldCycle, last_application: dict, last_reference: dict) -> None:
        w = self.world
        final = wc.index == len(w.cycles) - 1
        cycle = Cycle.objects.create(
            program=self.program,
            name=wc.name,
            slug=wc.slug,
            opens_at=wc.opens_at,
            deadline=wc.deadline,
            capacity=wc.capacity,
            state=CycleState.CLOSED if final else CycleState.ARCHIVED,
            translations={"es": astronaut_es.phrasebook(astronaut_es.cycle_name(int(wc.slug)))},
        )
        self._configuration(cycle)
        screened_at = wc.deadline + dt.timedelta(days=14)
        decided_at = wc.deadline + dt.timedelta(days=120)
        applications = self._applications(cycle, wc, last_application)
        ids = np.array([a.pk for a in applications])
        self._transitions(wc, applications)
        self._references(wc, ids, last_reference)
        self.step(f"Screening the {wc.name}")
        screen_cycle(cycle, at=screened_at)
        self._reviews(cycle, wc, ids, screened_at)
        if not final:  # the last cycle waits, reviewed, for staff to decide it
            self.step(f"Deciding the {wc.name}")
            decide_cycle(cycle, at=decided_at)
            release_decisions(cycle, at=decided_at, history=True)

    def _configuration(self, cycle: Cycle) -> None:
        w = self.world
        self.bulk(
            FormField,
            [
                FormField(
                    cycle=cycle,
                    key=f.key,
                    label=f.label,
                    kind=f.kind,
                    required=f.required,
                    help_text=f.help_text,
                    choices=[{"value": c.value, "label": c.label} for c in f.choices],
                    ordered=f.ordered,
                    min_value=f.min_value,
                    max_value=f.max_value,
                    max_length=f.max_length,
                    columns=[sub.to_dict() for sub in f.fields],
                    position=i,
                    identifying=f.key in IDENTIFYING,
                )
                for i, f in enumerate(w.form)
            ],
        )
        self.bulk(
            Requirement,
            [
                Requirement(cycle=cycle, key=r.key, name=r.name, description=r.description,
                            rule=r.rule, position=i)
                for i, r in enumerate(w.requirements)
            ],
        )  # fmt: skip
        self.criteria = self.bulk(
            Criterion,
            [
                Criterion(
                    cycle=cycle,
                    key=c.key,
                    name=c.name,
                    description=c.description,
                    scale_min=c.scale[0],
                    scale_max=c.scale[1],
                    weight=c.weight,
                    levels=[lv.__dict__ for lv in c.levels],
                    advice=c.advice,
                    position=i,
                )
                for i, c in enumerate(w.criteria)
            ],
        )
        stages = self.bulk(
            Stage,
            [
                Stage(cycle=cycle, key=s.key, name=s.name, kind=s.kind, position=i,
                      reviews_per_application=s.reviews_per_application,
                      blind=s.kind == "review")
                for i, s in enumerate(w.stages)
            ],
        )  # fmt: skip
        self.review_stage = next(s for s in stages if s.kind == "review")

    def _applications(self, cycle: Cycle, wc: WorldCycle, last: dict) -> list[Application]:
        submitted = [dt.datetime.fromtimestamp(t, dt.UTC) for t in wc.submitted_at]
        applications = self.bulk(
            Application,
            [
                Application(
                    applicant_id=self.applicant_ids[p],
                    cycle=cycle,
                    status=S.SUBMITTED,
                    answers=answers,
                    receipt=f"ASC-{wc.slug}-{i + 1:06d}",
                    previous_id=last.get(int(p)),
                    submitted_at=at,
                )
                for i, (p, answers, at) in enumerate(
                    zip(wc.person, wc.answers, submitted, strict=True)
                )
            ],
        )
        for p, application in zip(wc.person, applications, strict=True):
            last[int(p)] = application.pk
        return applications

    def _transitions(self, wc: WorldCycle, applications: list) -> None:
        """Each applicant submitted; screening and the decisions write the rest."""
        user_ids = self.user_ids[wc.person].tolist()
        at = connection.ops.adapt_datetimefield_value  # as the ORM would store it
        rows = [(a.pk, S.DRAFT.value, S.SUBMITTED.value, user_id, at(a.submitted_at), "")
                for a, user_id in zip(applications, user_ids, strict=True)]  # fmt: skip
        columns = ("application_id", "from_status", "to_status", "by_id", "at", "reason")
        self.insert(ApplicationTransition, columns, rows)

    def _reviews(self, cycle: Cycle, wc: WorldCycle, ids: np.ndarray, assigned_at) -> None:
        app_ids = ids[wc.review_application]
        reviewer_ids = self.reviewer_ids[wc.review_reviewer]
        assignments = self.bulk(
            Assignment,
            [
                Assignment(
                    reviewer_id=r, application_id=a, stage=self.review_stage, created_at=assigned_at
                )
                for a, r in zip(app_ids.tolist(), reviewer_ids.tolist(), strict=True)
            ],
        )
        reviewed_at = assigned_at + dt.timedelta(days=30)
        reviews = self.bulk(
            Review,
            [
                Review(
                    assignment_id=a.pk, state="submitted", submitted_at=reviewed_at, confidence=3
                )
                for a in assignments
            ],
        )
        criteria = [(c.pk, c.scale_min, c.scale_max) for c in self.criteria]
        scores = wc.scores.tolist()
        rows = [(review.pk, cid, value, lo, hi)
                for review, row in zip(reviews, scores, strict=True)
                for (cid, lo, hi), value in zip(criteria, row, strict=True)]  # fmt: skip
        self.insert(Score, ("review_id", "criterion_id", "value", "scale_min", "scale_max"), rows)

    def insert(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Plain rows, many at a time, for the largest table (scores: 280,000 rows): a
        third of bulk_create's time, which builds a model instance per row."""
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        # names from the model's own metadata, quoted; the values go as parameters
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])
        label = str(model._meta.verbose_name_plural)
        self.rows[label] = self.rows.get(label, 0) + len(rows)
        self.progress(label, len(rows))

    def _references(self, wc: WorldCycle, ids: np.ndarray, last: dict) -> None:
        people = self.world.people
        requested = wc.opens_at + dt.timedelta(days=7)
        rows, keys = [], []
        for p, application_id, at in zip(
            wc.person.tolist(), ids.tolist(), wc.submitted_at, strict=True
        ):
            name = people.name[p]
            for slot, rec in enumerate(people.recommenders[p]):
                letter = (
                    f"I have known {name} as their {rec['relationship']} and recommend them "
                    f"warmly for the {wc.year} call."
                )
                rows.append(Reference(
                    application_id=application_id, recommender_name=rec["name"],
                    recommender_email=rec["email"], relationship=rec["relationship"],
                    token_hash=_token_hash(), state=ReferenceState.SUBMITTED, letter=letter,
                    previous_id=last.get((p, slot)), requested_at=requested,
                    submitted_at=dt.datetime.fromtimestamp(at, dt.UTC)))  # fmt: skip
                keys.append((p, slot))
        for key, reference in zip(keys, self.bulk(Reference, rows), strict=True):
            last[key] = reference.pk

    def _supporters(self) -> None:
        persona = int(self.applicant_ids[self.world.persona])
        invited = self.world.cycles[0].opens_at
        self.bulk(
            Supporter,
            [
                Supporter(
                    applicant_id=persona,
                    name=s["name"],
                    email=s["email"],
                    relationship=s["relationship"],
                    token_hash=_token_hash(),
                    shares_gap_reports=True,
                    invited_at=invited,
                )
                for s in self.world.persona_supporters
            ],
        )


def _token_hash() -> str:
    """The hash of a token nobody holds: simulated links cannot be opened."""
    return hashlib.sha256(secrets.token_bytes(32)).hexdigest()


def expected_rows(world: World) -> int:
    """How many rows load_world writes itself, for a progress bar's total (screening and
    the decisions, which the product's own pipeline writes, report as steps)."""
    k = len(world.criteria)
    people, panel = len(world.people), len(world.reviewers.name)
    rows = 2 * people + 2 * panel + len(world.conflicts) + len(world.persona_supporters)
    config = len(world.form) + len(world.requirements) + k + len(world.stages)
    for c in world.cycles:
        n, m = len(c.person), len(c.review_application)
        rows += config + n + n + m * (2 + k) + 2 * n  # applications, submissions, reviews, letters
    return rows


def delete_world_program() -> bool:
    """Delete the world's program with everything in it; False when it was not there."""
    program = Program.objects.filter(slug=astronaut.PROGRAM_SLUG).first()
    if program is None:
        return False
    with transaction.atomic():
        applicant_users = Applicant.objects.filter(
            applications__cycle__program=program
        ).values_list("user_id", flat=True)
        reviewer_users = Reviewer.objects.filter(program=program).values_list("user_id", flat=True)
        user_ids = set(applicant_users) | set(reviewer_users)
        Application.objects.filter(cycle__program=program).delete()
        program.delete()
        # Simulated people exist only for the world; staff accounts are kept.
        get_user_model().objects.filter(pk__in=user_ids, is_staff=False).delete()
        record(None, "world.deleted", None, program=astronaut.PROGRAM_SLUG)
    return True


def undecide_cycle(cycle: Cycle) -> None:
    """Take back a cycle's decisions: they are deleted and the selected, waitlisted and
    not-selected applications go back in review, so that the cycle can be decided again
    (tests and benchmarks decide a loaded past cycle once more)."""
    decided = [ApplicationStatus.SELECTED, ApplicationStatus.WAITLISTED,
               ApplicationStatus.NOT_SELECTED]  # fmt: skip
    with transaction.atomic():
        Decision.objects.filter(application__cycle=cycle).delete()
        Application.objects.filter(cycle=cycle, status__in=decided).update(
            status=ApplicationStatus.IN_REVIEW
        )
