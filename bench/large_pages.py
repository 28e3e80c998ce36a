"""Benchmark: the big pages of a 20,000-application cycle stay fast.

    python bench/large_pages.py [--database-url URL] [--applicants 20000] [--repeat 40]

Loads one synthetic cycle of ``--applicants`` (with its reviews) into a fresh database (a
new SQLite file, or the PostgreSQL at --database-url, cleaned up after), decides it (so the
selection board is full), then asks for each big page ``--repeat`` times through Django's
whole request handling (middleware, sessions, templates; no network) as the signed-in
staff member or reviewer, and prints the first request's time (caches empty), p50/p95/max
of the others and the queries per request.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from benchdb import load_national_call, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--applicants", type=int, default=20_000)
    parser.add_argument("--reviewers", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    setup_django(args.database_url, "pages")

    import datetime as dt
    import logging

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ascent.applications.models import Application
    from ascent.cli.world_loader import delete_world_program
    from ascent.common.domain.tokens import create_token
    from ascent.decisions.domain.deciding import decide_cycle
    from ascent.programs.domain.cycles import copy_cycle
    from ascent.review.models import Assignment, Reviewer

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("ascent.request").setLevel(logging.WARNING)
    cycle, _loaded = load_national_call(args.applicants, args.reviewers)
    rows = []
    try:
        decide_cycle(cycle, draws=200)
        staff = get_user_model().objects.create_user("pages-staff@example.org",
                                                     "pages-staff@example.org", is_staff=True)  # fmt: skip
        busiest = Reviewer.objects.annotate(n=Count("assignments")).order_by("-n").first()
        total = Application.objects.filter(cycle=cycle).count()
        middle = (Application.objects.filter(cycle=cycle, decision__isnull=False)
                  .order_by("decision__rank").values_list("pk", flat=True)[total // 4])  # fmt: skip
        # The next cycle's set-up pages try every requirement on this cycle's answers.
        following = copy_cycle(cycle, name="Next call", slug="bench-next-call",
                               opens_at=cycle.deadline + dt.timedelta(days=300),
                               deadline=cycle.deadline + dt.timedelta(days=365))  # fmt: skip
        nxt = f"/staff/cycles/{following.pk}"
        check = {"measure-0": "years:experience_start", "op-0": ">=", "value-0": "3",
                 "measure-1": "field:medical_class", "op-1": ">=", "value-1": "class_2",
                 "combine": "all"}  # fmt: skip
        _token, secret = create_token(staff, "bench")
        desk, queue = Client(), Client()
        desk.force_login(staff)
        queue.force_login(busiest.user)
        base = f"/staff/cycles/{cycle.pk}"
        pages = [
            ("staff list, page 1", desk, f"{base}/applications/", {}),
            ("staff list, page 200", desk, f"{base}/applications/", {"page": 200}),
            ("staff list, last page", desk, f"{base}/applications/", {"page": total // 50 + 1}),
            ("staff list, eligible + in review, newest first", desk, f"{base}/applications/",
             {"status": "in_review", "eligible": "yes", "sort": "-submitted"}),
            ("staff list, search by name", desk, f"{base}/applications/", {"q": "Smith"}),
            ("selection board", desk, f"{base}/board/", {}),
            ("staff desk (cycle)", desk, f"{base}/", {}),
            ("one application, staff page", desk, f"/staff/applications/{middle}/", {}),
            ("next cycle's set-up page (requirements tried on 20,000)", desk, f"{nxt}/setup/",
             {}),
            ("requirement live check (tried on 20,000)", desk,
             f"{nxt}/requirements/check/", check),
            ("form builder, one question", desk, f"{nxt}/form/0/", {}),
            ("stage page", desk, f"{nxt}/stages/1/", {}),
            (f"choose a reviewer by hand ({args.reviewers} reviewers)", desk,
             f"/staff/applications/{middle}/assign/", {}),
            (f"reviewer queue ({Assignment.objects.filter(reviewer=busiest).count()} items)",
             queue, "/review/", {}),
            ("API: applications, 100 per page", Client(), "/api/v1/applications",
             {"cycle": cycle.pk, "limit": 100, "offset": 10_000}),
        ]  # fmt: skip
        headers = {"Authorization": f"Bearer {secret}"}
        for name, client, url, query in pages:
            extra = {"headers": headers} if url.startswith("/api/") else {}
            started = time.perf_counter()
            first = client.get(url, query, **extra)  # warm up; caches fill here
            cold = time.perf_counter() - started
            assert first.status_code == 200, name
            if "live check" in name:
                assert b"would pass" in first.content, first.content[-2000:]
            times = []
            with CaptureQueriesContext(connection) as queries:
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    status = client.get(url, query, **extra).status_code
                    times.append(time.perf_counter() - started)
                    assert status == 200, (name, status)
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            rows.append((name, cold, statistics.median(times), p95, times[-1],
                         len(queries) / args.repeat))  # fmt: skip
    finally:
        delete_world_program()
        get_user_model().objects.filter(username="pages-staff@example.org").delete()
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\n{database}, one cycle of {total:,} applications, {args.repeat} requests each\n")
    print("| page | first | p50 | p95 | max | queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, cold, p50, p95, worst, queries in rows:
        print(f"| {name} | {cold * 1000:.0f} ms | {p50 * 1000:.0f} ms | {p95 * 1000:.0f} ms "
              f"| {worst * 1000:.0f} ms | {queries:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
