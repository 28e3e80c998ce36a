import pytest

from ascent.engine.world import generate_world

SMALL = {"cycles": 3, "applicants_per_cycle": 60, "reviewers": 12, "capacity": 4}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests hash many passwords and prove nothing by waiting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def small_world():
    """A world small enough to load in a test: 3 cycles of 60 applications."""
    return generate_world(seed=7, **SMALL)
