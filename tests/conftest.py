import datetime as dt

import pytest
from django.utils import timezone

from ascent.engine.world import generate_world
from ascent.programs.models import CycleState, Requirement
from tests.factories import CriterionFactory, CycleFactory, FormFieldFactory

SMALL = {"cycles": 3, "applicants_per_cycle": 60, "reviewers": 12, "capacity": 4}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests hash many passwords and prove nothing by waiting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (failed logins) live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Spanish leaves Spanish active in its thread: each test starts in
    the site's default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def small_world():
    """A world small enough to load in a test: 3 cycles of 60 applications."""
    return generate_world(seed=7, **SMALL)


HOURS = {"field": "jet_hours", "op": ">=", "value": 1000, "label": "jet time", "unit": "h"}


@pytest.fixture
def open_cycle():
    """An open cycle with a few fields (a records one too) and one requirement."""
    now = timezone.now()
    cycle = CycleFactory(opens_at=now - dt.timedelta(days=10), deadline=now + dt.timedelta(days=20),
                         state=CycleState.OPEN)  # fmt: skip
    FormFieldFactory(cycle=cycle, key="full_name", label="Full name", kind="text", required=True,
                     position=1)  # fmt: skip
    FormFieldFactory(cycle=cycle, key="jet_hours", label="Jet hours", kind="number",
                     required=True, min_value=0, position=2)  # fmt: skip
    FormFieldFactory(cycle=cycle, key="citizenship", label="Citizenship", kind="choice",
                     choices=[{"value": "FR", "label": "France"}, {"value": "US", "label": "USA"}],
                     position=3)  # fmt: skip
    FormFieldFactory(cycle=cycle, key="languages", label="Languages", kind="multi_choice",
                     choices=[{"value": "en", "label": "English"}, {"value": "es", "label": "Spanish"}],
                     position=4)  # fmt: skip
    FormFieldFactory(cycle=cycle, key="degrees", label="Degrees", kind="records", position=5,
                     columns=[{"key": "field", "label": "Field", "kind": "text", "required": True},
                              {"key": "year", "label": "Year", "kind": "number",
                               "min_value": 1950, "max_value": 2030}])  # fmt: skip
    Requirement.objects.create(cycle=cycle, key="hours", name="Jet time", rule=HOURS,
                               description="1,000 hours of jet time")  # fmt: skip
    CriterionFactory(cycle=cycle, name="Technical expertise")
    return cycle


@pytest.fixture
def reopened(small_world):
    """The small world loaded, its last cycle reopened: reviews in, no decision yet."""
    from ascent.cli.world_loader import load_world, undecide_cycle
    from ascent.programs.models import Cycle

    load_world(small_world)
    cycle = Cycle.objects.get(slug=small_world.cycles[-1].slug)
    undecide_cycle(cycle)
    return cycle
