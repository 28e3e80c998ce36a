"""A program from a template, opening a cycle, and the frozen parts of a configuration
once people have applied (issue #16)."""

import datetime as dt

import pytest
from django.utils import timezone

from ascent.applications.domain.screening import screen_cycle
from ascent.common.models import AuditEvent
from ascent.engine.rules import compile_rule
from ascent.programs.domain.configuration import export_configuration, import_configuration
from ascent.programs.domain.content import check_translations, phrase, texts_of
from ascent.programs.domain.errors import ProgramError
from ascent.programs.domain.forms import form_of
from ascent.programs.domain.setup import BLUEPRINT_KEYS, create_program, set_cycle_state
from ascent.programs.models import Cycle, CycleState, FormField, Requirement, TeamMember
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def make(template="fellowship", **overrides):
    values = {"template": template, "name": "Ada Fellowship", "organisation": "Ada Trust",
                  "name_es": "Beca Ada", "cycle_name": "2027 call", "cycle_name_es": "Convocatoria 2027",
                  "opens_at": NOW, "deadline": NOW + dt.timedelta(days=60), "by": UserFactory(is_staff=True)}  # fmt: skip
    values.update(overrides)
    return create_program(**values)


@pytest.mark.parametrize("template", BLUEPRINT_KEYS)
def test_every_template_makes_a_complete_cycle_in_both_languages(template):
    cycle = make(template, slug=f"p-{template}")
    assert cycle.state == CycleState.DRAFT
    assert cycle.form_fields.count() >= 5
    assert cycle.requirements.count() >= 2
    criteria = list(cycle.criteria.all())
    assert len(criteria) >= 3
    for criterion in criteria:  # a level per score, each with its description and advice
        assert [lv["score"] for lv in criterion.levels] == list(
            range(criterion.scale_min, criterion.scale_max + 1)
        )
        assert all(lv["description"] and lv["advice"] for lv in criterion.levels)
    assert cycle.stages.filter(kind="review", reviews_per_application__gte=2).exists()
    form = form_of(cycle)
    for requirement in cycle.requirements.all():
        compile_rule(requirement.rule, form)
    # every text of the configuration has its Spanish, the cycle's and program's names too
    spanish = cycle.translations["es"]
    assert [text for text in texts_of(cycle) if not spanish.get(text, "").strip()] == []
    assert check_translations(cycle.translations, known=texts_of(cycle)) == []
    assert phrase("Ada Fellowship", cycle.program, language="es") == "Beca Ada"
    assert TeamMember.objects.get(program=cycle.program).role == "manager"
    assert AuditEvent.objects.filter(verb="program.created").exists()


def test_a_new_program_refuses_each_bad_field_and_writes_nothing():
    make(slug="taken")
    with pytest.raises(ProgramError) as error:
        make(
            template="nope",
            name="",
            organisation="x" * 201,
            slug="taken",
            deadline=NOW - dt.timedelta(days=1),
            timezone="Mars/Olympus",
        )
    fields = dict(error.value.problems)
    assert set(fields) == {"template", "name", "organisation", "slug", "deadline", "timezone"}
    assert fields["deadline"] == "must be after the opening"
    assert Cycle.objects.count() == 1


def test_a_cycle_opens_only_when_it_can_be_applied_to_and_closes():
    cycle = make()
    set_cycle_state(cycle, "open", by=None)
    assert Cycle.objects.get(pk=cycle.pk).state == "open"
    with pytest.raises(ProgramError, match="only a draft or a closed cycle opens"):
        set_cycle_state(cycle, "open", by=None)
    set_cycle_state(cycle, "closed", by=None)
    empty = Cycle.objects.create(program=cycle.program, name="Empty", slug="empty", capacity=1,
                                 opens_at=NOW, deadline=NOW + dt.timedelta(days=1))  # fmt: skip
    with pytest.raises(ProgramError, match="a question on the form, a criterion"):
        set_cycle_state(empty, "open", by=None)


def test_once_people_applied_only_words_translations_capacity_and_quotas_change():
    cycle = make()
    ApplicationFactory(cycle=cycle)
    data = export_configuration(cycle)
    data["form"][0]["label"] = "Your full name"
    data["form"][2]["choices"][0]["label"] = "Student (any level)"
    data["requirements"][0]["name"] = "A first degree"
    data["criteria"][0]["levels"][0]["advice"] = "Write down your question."
    data["capacity"] = 12
    spanish = data["translations"]["es"]
    for old in (
        "Full name",
        "Student",
        "A bachelor's degree or more",
        "Name the question you want to answer.",
    ):
        spanish.pop(old)  # a text that is no longer the configuration's has no translation
    spanish["Your full name"] = "Su nombre completo"
    import_configuration(cycle, data)
    assert FormField.objects.get(cycle=cycle, key="full_name").label == "Your full name"
    assert Requirement.objects.get(cycle=cycle, key="degree").name == "A first degree"
    cycle.refresh_from_db()
    assert cycle.capacity == 12
    ids = set(FormField.objects.filter(cycle=cycle).values_list("pk", flat=True))
    for change in (lambda d: d["form"][5].update(kind="long_text"),
                   lambda d: d["form"].pop(),
                   lambda d: d["requirements"][1]["rule"].update(value=9),
                   lambda d: d["criteria"][1].update(weight=0.5),
                   lambda d: d["stages"][1].update(kind="interview"),
                   lambda d: d["stages"].pop()):  # fmt: skip
        changed = export_configuration(cycle)
        change(changed)
        with pytest.raises(ProgramError, match="frozen: people have applied") as error:
            import_configuration(cycle, changed)
        assert error.value.problems
    assert set(FormField.objects.filter(cycle=cycle).values_list("pk", flat=True)) == ids
    # How a stage runs is not frozen: it changes what no answer or score means.
    stages = set(cycle.stages.values_list("pk", flat=True))
    changed = export_configuration(cycle)
    changed["stages"][1].update(reviews_per_application=1, blind=False)
    import_configuration(cycle, changed)
    panel = cycle.stages.get(key=changed["stages"][1]["key"])
    assert (panel.reviews_per_application, panel.blind) == (1, False)
    assert set(cycle.stages.values_list("pk", flat=True)) == stages  # changed in place


def test_screening_a_template_cycle_reads_its_rules():
    cycle = make()
    set_cycle_state(cycle, "open", by=None)
    good = ApplicationFactory(
        cycle=cycle,
        status="submitted",
        submitted_at=NOW,
        answers={
            "degree": "master",
            "graduation": (NOW - dt.timedelta(days=400)).date().isoformat(),
        },
    )
    bad = ApplicationFactory(
        cycle=cycle,
        status="submitted",
        submitted_at=NOW,
        answers={"degree": "secondary", "graduation": "2001-01-01"},
    )
    screen_cycle(cycle)
    good.refresh_from_db(), bad.refresh_from_db()
    assert good.eligibility.eligible
    assert not bad.eligibility.eligible


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"weight": 0}, "criteria[0].weight", "a number greater than 0"),
        ({"weight": float("inf")}, "criteria[0].weight", "a number greater than 0"),
        ({"scale_min": 5, "scale_max": 1}, "criteria[0].scale_min", "the lowest below"),
        ({"levels": [{"score": 99, "description": "x"}]}, "criteria[0].levels[0]", "on the scale"),
        ({"levels": [{"score": 1}, {"score": 1}]}, "criteria[0].levels[1]", "at most once"),
        ({"levels": "nope"}, "criteria[0].levels", "a list of levels"),
        ({"key": "record"}, "criteria[1].key", "keys must differ"),
        ({"levels": [{"score": [1]}, {"score": [1]}]}, "criteria[0].levels[1]", "on the scale"),
        ({"weight": 10**400}, "criteria[0]", "wrong kind"),
    ],
)
def test_what_the_database_would_refuse_is_named_in_the_file(change, path, message):
    """A configuration file once reached the database with a weight of 0, a scale upside
    down or a key twice (a 500 on the import page); now each is named by its place."""
    cycle = make()
    data = export_configuration(cycle)
    data["criteria"][0 if "key" not in change else 1].update(change)
    data["form"][0]["key"] = ["full_name"] if "weight" in change else data["form"][0]["key"]
    data["criteria"][0]["key"] = "record" if "key" in change else data["criteria"][0]["key"]
    with pytest.raises(ProgramError) as error:
        import_configuration(cycle, data)
    assert any(p == path and message in m for p, m in error.value.problems), error.value.problems
