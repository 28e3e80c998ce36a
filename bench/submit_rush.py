"""Benchmark and fault test: the last-hours rush of submissions, through the real server.

    python bench/submit_rush.py [--database-url URL] [--applicants 400] [--clients 16]
                                [--web-workers 4] [--kill-worker]

Starts ``ascent serve`` (gunicorn) on a free local port against a fresh database (a new
SQLite file, or the PostgreSQL at --database-url, which it cleans up after), makes an
open cycle and ``--applicants`` accounts each with a complete draft, then ``--clients``
threads each sign in as their applicants and press "Submit" — twice at once, as an
impatient double click does. With ``--kill-worker`` one gunicorn worker is killed with
SIGKILL in the middle; clients retry a request whose connection broke, as a browser's
user would. Afterwards it checks that nothing was lost and nothing doubled: exactly one
submission (one status change, one receipt) per applicant. Prints one Markdown row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "rush-hour-password-1"  # noqa: S105 - the bench's throwaway accounts


from benchdb import setup_django  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(n: int):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
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
                             required=True)  # fmt: skip
    User = get_user_model()
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create([User(username=f"rush{i}@example.org", email=f"rush{i}@example.org",
                                           password=hashed) for i in range(n)])  # fmt: skip
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                      for u in users])  # fmt: skip
    applicants = Applicant.objects.bulk_create([Applicant(user=u, display_name=f"Rush {i}")
                                                for i, u in enumerate(users)])  # fmt: skip
    apps = Application.objects.bulk_create([
        Application(applicant=a, cycle=cycle, answers={"full_name": a.display_name})
        for a in applicants])  # fmt: skip
    # Signed in already (the rush is about submitting; sign-ins from one address would
    # rightly hit the rate limit): one session per applicant.
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    sessions = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    return cycle, list(zip(sessions, [app.pk for app in apps], strict=True))


class Client:
    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()
        self.retries = 0

    def call(self, method: str, path: str, **kwargs):
        for attempt in range(5):
            try:
                return self.session.request(method, self.base + path, timeout=30,
                                            allow_redirects=False, **kwargs)  # fmt: skip
            except requests.ConnectionError:
                self.retries += 1
                time.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"{path}: no answer after 5 tries")

    def csrf(self, path: str) -> str:
        page = self.call("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def use_session(self, key: str) -> None:
        self.session.cookies.set("sessionid", key, domain="127.0.0.1", path="/")


def double_submit(client, path, data, headers, latencies, lock) -> list[int]:
    """Press "Submit" twice at once; the status codes."""
    answers: list[int] = []

    def press() -> None:
        started = time.perf_counter()
        answers.append(client.call("POST", path, data=data, headers=headers).status_code)
        with lock:
            latencies.append(time.perf_counter() - started)

    both = [threading.Thread(target=press) for _ in range(2)]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join()
    return answers


def clean_up() -> None:
    from django.contrib.auth import get_user_model

    from ascent.applications.models import Application
    from ascent.programs.models import Program

    Application.objects.filter(cycle__program__slug="rush").delete()
    Program.objects.filter(slug="rush").delete()
    get_user_model().objects.filter(
        username__startswith="rush", username__endswith="@example.org"
    ).delete()


def run(args) -> None:
    tmp = setup_django(args.database_url, "rush")

    from ascent.applications.models import Application, ApplicationTransition

    clean_up()
    cycle, people = prepare(args.applicants)
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen([sys.executable, "-m", "ascent.cli.main", "serve", "--bind",
                               f"127.0.0.1:{port}", "--workers", str(args.web_workers),
                               "--threads", str(args.threads)],
                              env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)
        latencies: list[float] = []
        retries = [0]
        errors: list[str] = []
        lock = threading.Lock()
        queue = list(people)

        def client_loop() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    session_key, pk = queue.pop()
                client = Client(base)
                try:
                    client.use_session(session_key)
                    token = client.csrf(f"/applications/{pk}/")
                    data = {
                        "csrfmiddlewaretoken": token,
                        "full_name": f"Rush {pk}",
                        "action": "submit",
                    }
                    headers = {"Referer": f"{base}/applications/{pk}/"}
                    answers = double_submit(client, f"/applications/{pk}/", data, headers,
                                            latencies, lock)  # fmt: skip
                    if any(code >= 500 for code in answers):
                        errors.append(f"{pk}: {answers}")
                except Exception as error:
                    errors.append(f"{pk}: {error}")
                with lock:
                    retries[0] += client.retries

        threads = [threading.Thread(target=client_loop) for _ in range(args.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        if args.kill_worker:
            time.sleep(1.5)
            workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                     text=True, check=False).stdout.split()  # fmt: skip
            if workers:
                os.kill(int(workers[0]), signal.SIGKILL)
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    submitted = Application.objects.filter(cycle=cycle, status="submitted").count()
    changes = ApplicationTransition.objects.filter(
        application__cycle=cycle, to_status="submitted"
    ).count()
    receipts = (
        Application.objects.filter(cycle=cycle)
        .exclude(receipt=None)
        .values("receipt")
        .distinct()
        .count()
    )
    database = "postgresql" if args.database_url else "sqlite"
    ok = submitted == changes == receipts == args.applicants and not errors
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) > 20 else float("nan")
    print(f"| {database} | {args.web_workers} | {args.clients} | {args.applicants:,} | "
          f"{'yes' if args.kill_worker else 'no'} | {elapsed:.1f} s | "
          f"{args.applicants / elapsed:.1f} | {p50:.0f} ms | {p95:.0f} ms | {retries[0]} | "
          f"{submitted:,} / {changes:,} / {receipts:,} | {'nothing lost, nothing doubled' if ok else 'FAILED'} |")  # fmt: skip
    clean_up()
    if errors:
        print("errors:", errors[:5], file=sys.stderr)
    if not ok:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--applicants", type=int, default=400)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--kill-worker", action="store_true")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
