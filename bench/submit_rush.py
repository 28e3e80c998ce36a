"""Benchmark and fault test: the last-hours rush, through the real server.

    python bench/submit_rush.py [--database-url URL] [--applicants 200 1000 5000]
        [--concurrency 16] [--web-workers 4] [--threads 1] [--sign-ins 100]
        [--double-click 0.2] [--kill-worker] [--restart-database] [--check]

For each N it starts ``ascent serve`` (gunicorn) on a free local port against a fresh
database (a new SQLite file, or the PostgreSQL at --database-url, whose rows it cleans up
after), with the production task queue (e-mails are queued in the database), makes an
open cycle and N applicant accounts, and runs the rush with an async httpx client,
``--concurrency`` applicants in flight at a time, in three phases:

1. sign in: ``--sign-ins`` of them sign in through the sign-in page (Argon2 and all;
   each from its own address, as behind a proxy); the others hold a session already;
2. drafts: every applicant opens the form and saves a draft;
3. submit: every applicant presses "Submit"; a share (``--double-click``) presses twice
   at once, as an impatient double click does.

Faults (in the submit phase): ``--kill-worker`` kills one gunicorn worker with SIGKILL a
quarter of the way in; ``--restart-database`` restarts the PostgreSQL server
(``pg_ctlcluster ... restart``) half way. A client whose connection broke,
or who got "503, try again", presses again, as a person would.

Afterwards it checks, in the database, that every applicant whose press got the
confirmation is submitted exactly once (one status change, one audit event, one receipt,
one queued confirmation e-mail), that nothing is half-written, and that no retry made a
second submission. Prints a Markdown table; ``--check`` exits 1 when anything is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "rush-hour-password-1"  # noqa: S105 - the bench's throwaway accounts
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

from benchdb import setup_django  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- the world ------------------------------------------------------------------------------


def prepare(n: int, sign_ins: int):
    """An open cycle, ``n`` applicants with an empty draft; sessions for all but the
    first ``sign_ins`` (who sign in through the page). Returns (cycle, people)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from ascent.applications.models import Applicant, Application
    from ascent.programs.models import Cycle, CycleState, FormField, Program

    program = Program.objects.create(name="Rush program", slug="rush", organisation="Bench")
    now = timezone.now()
    cycle = Cycle.objects.create(program=program, name="Rush call", slug="rush-call",
                                 opens_at=now - dt.timedelta(days=1),
                                 deadline=now + dt.timedelta(hours=2), capacity=10,
                                 state=CycleState.OPEN)  # fmt: skip
    FormField.objects.create(cycle=cycle, key="full_name", label="Full name", kind="text",
                             required=True, position=1)  # fmt: skip
    FormField.objects.create(cycle=cycle, key="motivation", label="Why this program",
                             kind="text", required=True, position=2)  # fmt: skip
    User = get_user_model()
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create([User(username=f"rush{i}@example.org", email=f"rush{i}@example.org",
                                           password=hashed) for i in range(n)])  # fmt: skip
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                      for u in users])  # fmt: skip
    applicants = Applicant.objects.bulk_create([Applicant(user=u, display_name=f"Rush {i}")
                                                for i, u in enumerate(users)])  # fmt: skip
    apps = Application.objects.bulk_create([Application(applicant=a, cycle=cycle, answers={})
                                            for a in applicants])  # fmt: skip
    expiry = now + dt.timedelta(hours=2)
    sessions = []
    for i, user in enumerate(users):
        if i < sign_ins:
            sessions.append(None)
            continue
        store = SessionStore()
        data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()}  # fmt: skip
        key = store._get_new_session_key()
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expiry)
        )
    Session.objects.bulk_create([s for s in sessions if s is not None])
    people = [
        Person(i, app.pk, user.email, s.session_key if s is not None else None)
        for i, (app, user, s) in enumerate(zip(apps, users, sessions, strict=True))
    ]
    return cycle, people


def clean_up() -> None:
    from django.contrib.auth import get_user_model
    from django_tasks_db.models import DBTaskResult

    from ascent.applications.models import Application
    from ascent.common.models import AuditEvent
    from ascent.programs.models import Program

    ids = list(Application.objects.filter(cycle__program__slug="rush").values_list("pk", flat=True))
    AuditEvent.objects.filter(target_type="applications.application",
                              target_id__in=[str(i) for i in ids]).delete()  # fmt: skip
    Application.objects.filter(pk__in=ids).delete()
    Program.objects.filter(slug="rush").delete()
    get_user_model().objects.filter(
        username__startswith="rush", username__endswith="@example.org"
    ).delete()
    DBTaskResult.objects.filter(args_kwargs__args__3__0__startswith="rush").delete()


# -- the clients ----------------------------------------------------------------------------


@dataclass
class Person:
    index: int
    pk: int
    email: str
    session: str | None
    token: str = ""
    confirmed: bool = False
    client: httpx.AsyncClient | None = None


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    elapsed: float = 0.0
    items: int = 0

    def row(self, n: int, unit: str) -> str:
        ordered = sorted(self.latencies)

        def pct(p: float) -> str:
            if not ordered:
                return "-"
            return f"{ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000:.0f} ms"

        rate = self.items / self.elapsed if self.elapsed else 0.0
        return (f"| {n:,} | {self.name} | {self.items:,} {unit} | {len(ordered):,} | "
                f"{self.elapsed:.1f} s | {rate:.1f} | {pct(0.5)} | {pct(0.95)} | {pct(0.99)} | "
                f"{self.retries} | {len(self.errors)} |")  # fmt: skip


class Rush:
    def __init__(self, base: str, concurrency: int):
        self.base = base
        self.concurrency = concurrency
        self.transport = httpx.AsyncHTTPTransport(
            limits=httpx.Limits(
                max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2
            )
        )

    def client_for(self, person: Person) -> httpx.AsyncClient:
        if person.client is None:
            # Each applicant has their own cookies and address; the connections are shared.
            ip = (
                f"10.{person.index // 65536 % 256}.{person.index // 256 % 256}.{person.index % 256}"
            )
            person.client = httpx.AsyncClient(
                base_url=self.base, transport=self.transport, timeout=60,
                headers={"X-Forwarded-For": ip}, follow_redirects=False,
            )  # fmt: skip
            if person.session:
                person.client.cookies.set("sessionid", person.session, domain="127.0.0.1")
        return person.client

    async def press(self, phase: Phase, person: Person, method: str, path: str, **kw):
        """One request as a person makes it: on a broken connection or "503, try again",
        they press again (at most 20 times). Latency is first press to final answer."""
        client = self.client_for(person)
        started = time.perf_counter()
        for attempt in range(20):
            try:
                answer = await client.request(method, path, **kw)
            except httpx.TransportError:
                phase.retries += 1
                await asyncio.sleep(min(0.2 * (attempt + 1), 1.0))
                continue
            if answer.status_code in (502, 503, 504):
                phase.retries += 1
                await asyncio.sleep(min(float(answer.headers.get("Retry-After", 1)), 1.0))
                continue
            phase.latencies.append(time.perf_counter() - started)
            if answer.status_code >= 500:
                phase.errors.append(f"{method} {path}: {answer.status_code}")
            return answer
        phase.errors.append(f"{method} {path}: no answer after 20 presses")
        return None

    async def run(self, phase: Phase, people: list[Person], step) -> Phase:
        gate = asyncio.Semaphore(self.concurrency)

        async def one(person: Person) -> None:
            async with gate:
                try:
                    await step(phase, person)
                except Exception as error:
                    phase.errors.append(f"{person.pk}: {type(error).__name__}: {error}")

        phase.items = len(people)
        started = time.perf_counter()
        await asyncio.gather(*(one(p) for p in people))
        phase.elapsed = time.perf_counter() - started
        return phase

    # The three steps.

    async def sign_in(self, phase: Phase, person: Person) -> None:
        page = await self.press(phase, person, "GET", "/accounts/login/")
        token = TOKEN.search(page.text).group(1)
        answer = await self.press(phase, person, "POST", "/accounts/login/",
                                  data={"csrfmiddlewaretoken": token, "login": person.email,
                                        "password": PASSWORD})  # fmt: skip
        if answer is None or answer.status_code != 302:
            code = answer.status_code if answer is not None else "none"
            phase.errors.append(f"sign-in {person.email}: {code}")

    async def draft(self, phase: Phase, person: Person) -> None:
        path = f"/applications/{person.pk}/"
        page = await self.press(phase, person, "GET", path)
        person.token = TOKEN.search(page.text).group(1)
        saved = await self.press(phase, person, "POST", path,
                                 data={"csrfmiddlewaretoken": person.token, "action": "save",
                                       "full_name": f"Rush {person.index}", "motivation": ""})  # fmt: skip
        if saved is None or saved.status_code != 302:
            phase.errors.append(f"draft {person.pk}: {saved.status_code if saved else 'none'}")

    async def submit(self, phase: Phase, person: Person, presses: int) -> None:
        path = f"/applications/{person.pk}/"
        data = {"csrfmiddlewaretoken": person.token, "action": "submit",
                "full_name": f"Rush {person.index}", "motivation": "To fly."}  # fmt: skip
        answers = await asyncio.gather(*(self.press(phase, person, "POST", path, data=data)
                                         for _ in range(presses)))  # fmt: skip
        for answer in answers:
            if (
                answer is not None
                and answer.status_code == 302
                and answer.headers["location"].endswith("/submitted/")
            ):
                person.confirmed = True
            elif answer is not None and answer.status_code < 500:
                phase.errors.append(f"submit {person.pk}: {answer.status_code}")


# -- faults ---------------------------------------------------------------------------------


def kill_a_worker(server: subprocess.Popen) -> str:
    workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True,
                             check=False).stdout.split()  # fmt: skip
    if not workers:
        return "no worker to kill"
    os.kill(int(workers[0]), signal.SIGKILL)
    return f"killed worker {workers[0]}"


def restart_postgres() -> str:
    clusters = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True,
                              check=True).stdout.split()  # fmt: skip
    version, name = clusters[0], clusters[1]
    started = time.perf_counter()
    subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)
    return f"restarted PostgreSQL {version}/{name} in {time.perf_counter() - started:.1f} s"


# -- one rush -------------------------------------------------------------------------------


async def rush(args, n: int, server: subprocess.Popen, base: str, people: list[Person]):
    runner = Rush(base, args.concurrency)
    signing = Phase("sign in")
    await runner.run(signing, [p for p in people if p.session is None], runner.sign_in)
    drafts = await runner.run(Phase("open form, save draft"), people, runner.draft)
    submitting = Phase("submit")
    chooser = random.Random(n)  # noqa: S311 - which applicants double-click, reproducibly
    presses = {p.pk: 2 if chooser.random() < args.double_click else 1 for p in people}
    faults: list[str] = []

    plan = []
    if args.kill_worker:
        plan.append((n // 4, lambda: kill_a_worker(server)))
    if args.restart_database:
        plan.append((n // 2, restart_postgres))
    finished = False

    async def inject() -> None:
        for threshold, fault in plan:
            while len(submitting.latencies) < threshold and not finished:
                await asyncio.sleep(0.005)
            if finished:
                return
            faults.append(await asyncio.to_thread(fault))

    injecting = asyncio.create_task(inject())
    await runner.run(submitting, people,
                     lambda phase, person: runner.submit(phase, person, presses[person.pk]))  # fmt: skip
    finished = True
    await injecting  # (a restart under way finishes; one not begun is not started)
    await runner.transport.aclose()
    return [signing, drafts, submitting], faults


def check(cycle, people: list[Person]) -> list[str]:
    """What must hold after the rush; the problems found."""
    from django.db import connections
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from ascent.applications.models import Application, ApplicationTransition
    from ascent.common.models import AuditEvent

    connections.close_all()  # (the database may have restarted under this process too)
    problems = []
    apps = {a.pk: a for a in Application.objects.filter(cycle=cycle)}
    changes = dict(
        ApplicationTransition.objects.filter(application__cycle=cycle, to_status="submitted")
        .values_list("application").annotate(n=Count("id"))
    )  # fmt: skip
    audits = dict(
        AuditEvent.objects.filter(verb="application.status_changed", data__to="submitted",
                                  target_id__in=[str(pk) for pk in apps])
        .values_list("target_id").annotate(n=Count("id"))
    )  # fmt: skip
    mails: dict[str, int] = {}
    for args in DBTaskResult.objects.filter(
        task_path="ascent.common.tasks.send_email_task", args_kwargs__args__3__0__startswith="rush"
    ).values_list("args_kwargs", flat=True):
        mails[args["args"][3][0]] = mails.get(args["args"][3][0], 0) + 1
    for person in people:
        app = apps[person.pk]
        counts = (changes.get(app.pk, 0), audits.get(str(app.pk), 0), mails.get(person.email, 0))
        if app.status == "submitted":
            if counts != (1, 1, 1) or not app.receipt or app.submitted_at is None:
                problems.append(
                    f"{app.pk}: submitted with (changes, audits, e-mails) = {counts}, receipt {app.receipt}"
                )
        elif counts != (0, 0, 0) or app.receipt:
            problems.append(
                f"{app.pk}: half-written ({app.status} with {counts}, receipt {app.receipt})"
            )
        if person.confirmed and app.status != "submitted":
            problems.append(
                f"{app.pk}: confirmed to the applicant but {app.status} in the database"
            )
    return problems


def serve(args, tmp: str) -> tuple[subprocess.Popen, str, object]:
    port = free_port()
    env = {**os.environ, "DEBUG": "0", "ASCENT_TASKS": "database", "TRUSTED_PROXY_COUNT": "1",
           "REQUEST_LOG_LEVEL": "WARNING"}  # fmt: skip
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    log = open(Path(tmp) / "server.log", "a")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen([sys.executable, "-m", "ascent.cli.main", "serve", "--bind",
                               f"127.0.0.1:{port}", "--workers", str(args.web_workers),
                               "--threads", str(args.threads)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            httpx.get(base + "/health/", timeout=5)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    return server, base, log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url", help="give the server a Redis cache (sessions, rate limits)")
    parser.add_argument("--applicants", type=int, nargs="+", default=[200, 1000, 5000])
    parser.add_argument("--concurrency", type=int, default=16, help="applicants in flight at once")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sign-ins", type=int, default=100)
    parser.add_argument("--double-click", type=float, default=0.2)
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--restart-database", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 unless all is exactly once")
    args = parser.parse_args()
    if args.restart_database and not args.database_url:
        parser.error("--restart-database needs --database-url (a PostgreSQL server to restart)")
    tmp = setup_django(args.database_url, "rush")
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request would cost the client
    database = "PostgreSQL" if args.database_url else "SQLite"
    failed = False
    print(f"\n{database}, {args.web_workers} web workers × {args.threads} threads, "
          f"{args.concurrency} applicants in flight, {args.double_click:.0%} double-click\n")  # fmt: skip
    print(
        "| N | phase | applicants | requests | time | applicants/s | p50 | p95 | p99 | retries | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n in args.applicants:
        clean_up()
        cycle, people = prepare(n, min(args.sign_ins, n))
        server, base, log = serve(args, tmp)
        try:
            phases, faults = asyncio.run(rush(args, n, server, base, people))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
        for phase in phases:
            if phase.items:
                print(phase.row(n, ""))
        problems = check(cycle, people)
        errors = [e for phase in phases for e in phase.errors]
        confirmed = sum(p.confirmed for p in people)
        verdict = "nothing lost, nothing doubled" if not problems else f"{len(problems)} PROBLEMS"
        print(f"|   | **{confirmed:,} of {n:,} confirmed; {verdict}** "
              f"{'; ' + '; '.join(faults) if faults else ''} | | | | | | | | | |")  # fmt: skip
        for line in (problems + errors)[:10]:
            print("   ", line, file=sys.stderr)
        failed = failed or bool(problems) or confirmed != n or bool(errors)
        clean_up()
    if args.check and failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
