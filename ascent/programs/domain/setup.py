"""A new program from a template, and a cycle's opening and closing, without the
administration (issue #16).

A template (``ascent/programs/blueprints/``) is a complete configuration in English and
Spanish: form, requirements, rubric with level descriptions and advice, stages and, where
they make sense, quotas. It is imported through ``import_configuration``, the same
validators as a configuration file and the builder."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ascent.common.domain.audit import record
from ascent.engine import astronaut, astronaut_es
from ascent.programs.models import Cycle, CycleState, Program, TeamMember, TeamRole

from .configuration import VERSION, import_configuration
from .errors import ProgramError

HERE = Path(__file__).resolve().parent.parent / "blueprints"


@dataclass(frozen=True)
class Blueprint:
    key: str
    title: str
    summary: str


BLUEPRINTS = (
    Blueprint("fellowship", _("Fellowship or scholarship"),
              _("People apply with their record, a statement of purpose and a project; a "
                "blind panel scores the project, the record and the potential.")),
    Blueprint("grant", _("Research grant"),
              _("Teams propose a project with a budget and a duration; limits on both; a "
                "panel scores significance, approach, team and budget.")),
    Blueprint("conference", _("Conference call for proposals"),
              _("Talks, workshops and posters in three tracks, reviewed blind by two "
                "reviewers each, with at least five accepted per track.")),
    Blueprint("astronaut", _("Astronaut candidate corps"),
              _("The demo's program: education, flight hours, medical class and languages, "
                "strict requirements and a six-criterion rubric.")),
)  # fmt: skip
BLUEPRINT_KEYS = tuple(b.key for b in BLUEPRINTS)


@functools.cache
def blueprint(key: str) -> dict:
    """A template: ``description``, ``description_es``, ``capacity`` and the cycle's
    ``configuration`` (an import document)."""
    if key == "astronaut":
        return _astronaut()
    if key not in BLUEPRINT_KEYS:
        raise ProgramError("template: unknown", problems=[("template", "choose a template")])
    return yaml.safe_load((HERE / f"{key}.yaml").read_text(encoding="utf-8"))


def _astronaut() -> dict:
    """The demo's configuration, from the engine's description of it."""
    form = []
    for spec in astronaut.FORM:
        row = spec.to_dict()
        row["columns"] = row.pop("fields", [])
        row["identifying"] = spec.key in astronaut.IDENTIFYING
        form.append(row)
    criteria = [{"key": c.key, "name": c.name, "description": c.description, "weight": c.weight,
                 "scale_min": c.scale[0], "scale_max": c.scale[1], "advice": c.advice,
                 "levels": [level.__dict__ for level in c.levels]} for c in astronaut.CRITERIA]  # fmt: skip
    stages = [{"key": s.key, "name": s.name, "kind": s.kind, "blind": s.kind == "review",
               "reviews_per_application": s.reviews_per_application} for s in astronaut.STAGES]  # fmt: skip
    words = astronaut_es.phrasebook()
    configuration = {
        "ascent_cycle_configuration": VERSION, "capacity": 12, "form": form,
        "requirements": [{"key": r.key, "name": r.name, "description": r.description,
                          "rule": r.rule} for r in astronaut.REQUIREMENTS],
        "criteria": criteria, "stages": stages, "quotas": [],
        "translations": {"es": words},
    }  # fmt: skip
    return {"description": astronaut.PROGRAM_DESCRIPTION,
            "description_es": astronaut_es.PROGRAM[astronaut.PROGRAM_DESCRIPTION],
            "capacity": 12, "configuration": configuration}  # fmt: skip


def _text(value, limit: int) -> str:
    return " ".join(str(value or "").split())[: limit + 1]


@transaction.atomic
def create_program(*, template: str, name: str, organisation: str, name_es: str = "",
                   slug: str = "", cycle_name: str, cycle_name_es: str = "",
                   opens_at: dt.datetime | None, deadline: dt.datetime | None,
                   timezone: str = "UTC", by) -> Cycle:  # fmt: skip
    """A program with its first cycle (a draft made from ``template``), the person who
    made it as its manager. Every problem is named with its field; nothing is written if
    there is any."""
    problems: list[tuple[str, str]] = []
    name, organisation = _text(name, 200), _text(organisation, 200)
    name_es, cycle_name, cycle_name_es = (_text(name_es, 200), _text(cycle_name, 200),
                                          _text(cycle_name_es, 200))  # fmt: skip
    if template not in BLUEPRINT_KEYS:
        problems.append(("template", gettext_noop("choose one of the templates")))
    for field, value in (("name", name), ("organisation", organisation),
                         ("cycle_name", cycle_name)):  # fmt: skip
        if not value:
            problems.append((field, gettext_noop("required")))
    for field, value in (("name", name), ("organisation", organisation), ("name_es", name_es),
                         ("cycle_name", cycle_name), ("cycle_name_es", cycle_name_es)):  # fmt: skip
        if len(value) > 200:
            problems.append((field, gettext_noop("at most 200 characters")))
    slug = slugify(slug or name)[:80]
    if not slug:
        problems.append(
            ("slug", gettext_noop("letters, digits and hyphens (made from the name when empty)"))
        )
    elif Program.objects.filter(slug=slug).exists():
        problems.append(("slug", gettext_noop("already used by another program; choose another")))
    if opens_at is None:
        problems.append(("opens_at", gettext_noop("a date and time")))
    if deadline is None:
        problems.append(("deadline", gettext_noop("a date and time")))
    elif opens_at is not None and deadline <= opens_at:
        problems.append(("deadline", gettext_noop("must be after the opening")))
    if timezone not in zoneinfo.available_timezones() and timezone != "UTC":
        problems.append(("timezone", gettext_noop("a time zone such as Europe/Madrid or UTC")))
    if problems:
        raise ProgramError("; ".join(f"{p}: {m}" for p, m in problems), problems=problems)
    plan = blueprint(template)
    translations = {"es": {name: name_es} if name_es else {}}
    if plan.get("description_es"):
        translations["es"][plan["description"]] = plan["description_es"]
    program = Program.objects.create(name=name, slug=slug, organisation=organisation,
                                     description=plan["description"],
                                     translations=translations)  # fmt: skip
    TeamMember.objects.create(program=program, user=by, role=TeamRole.MANAGER)
    cycle = Cycle.objects.create(program=program, name=cycle_name, slug=slugify(cycle_name)[:80]
                                 or "first", opens_at=opens_at, deadline=deadline,
                                 timezone=timezone, capacity=plan["capacity"])  # fmt: skip
    configuration = {**plan["configuration"]}
    words = dict(configuration.get("translations", {}).get("es", {}))
    import_configuration(cycle, configuration)
    if cycle_name_es:
        cycle.refresh_from_db()
        cycle.translations = {**cycle.translations,
                              "es": {**cycle.translations.get("es", words), cycle_name: cycle_name_es}}  # fmt: skip
        cycle.save(update_fields=["translations"])
    record(by, "program.created", program, template=template, cycle=cycle.pk)
    return cycle


OPENABLE = {CycleState.DRAFT, CycleState.CLOSED}


@transaction.atomic
def set_cycle_state(cycle: Cycle, state: str, *, by) -> None:
    """Open a draft (or reopen a closed cycle before its deadline), or close an open one.
    Opening needs a form, a rubric and a review stage: applicants would meet an empty
    page, and the panel nothing to score."""
    if state == CycleState.OPEN:
        if cycle.state not in OPENABLE:
            raise ProgramError("state: only a draft or a closed cycle opens")
        missing = [what for what, n in (("a question on the form", cycle.form_fields.count()),
                                        ("a criterion in the rubric", cycle.criteria.count()),
                                        ("a stage", cycle.stages.count())) if not n]  # fmt: skip
        if missing:
            raise ProgramError("state: first add " + ", ".join(missing))
    elif state == CycleState.CLOSED:
        if cycle.state != CycleState.OPEN:
            raise ProgramError("state: only an open cycle closes")
    else:
        raise ProgramError("state: open or closed")
    before = cycle.state
    Cycle.objects.filter(pk=cycle.pk).update(state=state)
    cycle.state = state
    record(by, "cycle.state", cycle, before=before, after=state)
