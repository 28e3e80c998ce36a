import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from ascent.programs.models import Cycle
from tests.factories import CriterionFactory, CycleFactory, ProgramFactory, StageFactory

pytestmark = pytest.mark.django_db


def refused(make, constraint: str) -> None:
    """The database itself refuses the row (``constraint`` names the rule, for the reader;
    SQLite and PostgreSQL word their messages differently)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_deadline_before_opening_is_refused():
    program = ProgramFactory()
    refused(
        lambda: Cycle.objects.create(
            program=program, name="Bad", slug="bad", capacity=3,
            opens_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
            deadline=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        ),
        "cycle_deadline_after_opening",
    )  # fmt: skip
    assert not Cycle.objects.filter(slug="bad").exists()


def test_a_cycle_without_seats_is_refused():
    refused(lambda: CycleFactory(capacity=0), "cycle_capacity_positive")


def test_an_unknown_cycle_state_is_refused():
    refused(lambda: CycleFactory(state="forgotten"), "cycle_state_valid")


def test_two_cycles_of_a_program_cannot_share_a_slug():
    cycle = CycleFactory(slug="2026")
    refused(lambda: CycleFactory(program=cycle.program, slug="2026"), "cycle_unique_slug")
    CycleFactory(slug="2026")  # another program may


def test_a_criterion_scale_must_go_up():
    refused(lambda: CriterionFactory(scale_min=5, scale_max=5), "criterion_scale_ordered")


def test_a_criterion_weight_must_be_positive():
    refused(lambda: CriterionFactory(weight=0), "criterion_weight_positive")


def test_a_stage_kind_must_be_known():
    refused(lambda: StageFactory(kind="lottery"), "stage_kind_valid")
