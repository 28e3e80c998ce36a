"""What the database benchmarks share: a Django set up on a fresh database."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_url: str | None, name: str) -> str:
    """Point Django at ``database_url`` (or a new SQLite file), set it up, migrate.
    Returns the temporary directory used for ASCENT_VAR_DIR."""
    sys.path.insert(0, str(ROOT))
    tmp = tempfile.mkdtemp(prefix=f"ascent-{name}-")
    os.environ["ASCENT_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/{name}.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascent.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return tmp


def load_national_call(applicants: int, reviewers: int):
    """One synthetic cycle of ``applicants`` (seed 0) loaded into the database, its
    decisions taken back so that it can be decided again. Returns (cycle, load seconds);
    ``delete_world_program()`` removes it."""
    import time

    from ascent.cli.world_loader import delete_world_program, load_world, undecide_cycle
    from ascent.engine.world import generate_world
    from ascent.programs.models import Cycle

    delete_world_program()
    world = generate_world(seed=0, cycles=1, applicants_per_cycle=applicants, reviewers=reviewers)
    start = time.perf_counter()
    load_world(world)
    loaded = time.perf_counter() - start
    cycle = Cycle.objects.get()
    undecide_cycle(cycle)
    return cycle, loaded
