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
