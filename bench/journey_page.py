"""Benchmark: Maya's journey page (twelve cycles, the demo's size) stays fast.

    python bench/journey_page.py [--database-url URL] [--repeat 40]

Without --database-url it loads the demo world (12 cycles of 2,000, decided by the
product's pipeline) into a new SQLite file first; with one that already holds the demo
(``ascent demo --no-serve`` made it) it only measures. Asks for /journey/ as Maya through
Django's whole request handling, ``--repeat`` times, and prints p50/p95/max and queries
per request (the target is p95 under 150 ms); then the "what if" planner on her latest
decided application, one change per request (the target is under 100 ms).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from benchdb import setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    setup_django(args.database_url, "journey")
    import logging

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ascent.cli.demo_logins import PERSONA, create_demo_logins
    from ascent.cli.world_loader import load_world
    from ascent.engine.world import generate_world
    from ascent.programs.models import Program

    logging.disable(logging.INFO)
    if not Program.objects.exists():
        load_world(generate_world(seed=0))
    create_demo_logins()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=PERSONA.username))
    from ascent.decisions.models import Decision

    latest = (Decision.objects.filter(application__applicant__user__username=PERSONA.username,
                                      released_at__isnull=False).exclude(gap={})
              .order_by("-cycle__deadline").first())  # fmt: skip
    plan_url = f"/journey/what-if/{latest.application_id}/"
    keys = latest.gap.get("criteria") or []
    pages = [("/journey/ (Maya, 12 cycles)", "/journey/", lambda i: {}),
             ("what if: one change (Maya)", plan_url,
              lambda i: {f"plan.{k}": str(5 + (i % 5)) for k in keys})]  # fmt: skip
    for name, url, query in pages:
        client.get(url, query(0))  # warm
        times = []
        for i in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, query(i))
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"| {connection.vendor} | {name} | {statistics.median(times):.0f} ms "
            f"| {p95:.0f} ms | {times[-1]:.0f} ms | {len(queries)} |"
        )


if __name__ == "__main__":
    main()
