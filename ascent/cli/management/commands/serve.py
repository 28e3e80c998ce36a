import os
import shlex
import sys
from dataclasses import dataclass

from django.core.management import call_command

from ascent.cli.base import AscentCommand, whole_number


class Command(AscentCommand):
    help = "Serve Ascent with gunicorn, a production WSGI server (static files by WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default=os.environ.get("ASCENT_BIND", "127.0.0.1:8000"),
            help="address:port to listen on (default 127.0.0.1:8000, or $ASCENT_BIND)",
        )  # fmt: skip
        parser.add_argument(
            "--workers", type=whole_number(1), default=int(os.environ.get("WEB_CONCURRENCY", "3")),
            help="worker processes (default 3, or $WEB_CONCURRENCY)",
        )  # fmt: skip
        parser.add_argument(
            "--threads", type=whole_number(1), default=int(os.environ.get("WEB_THREADS", "1")),
            help="threads per worker (default 1, or $WEB_THREADS); above 1 uses gthread workers",
        )  # fmt: skip
        parser.add_argument(
            "--timeout", type=whole_number(1), default=60, help="seconds per request"
        )
        parser.add_argument(
            "--max-requests", type=whole_number(0),
            default=int(os.environ.get("ASCENT_MAX_REQUESTS", "0")),
            help="restart a worker after this many requests (default 0: never, or "
                 "$ASCENT_MAX_REQUESTS); each worker's limit is spread by a jitter",
        )  # fmt: skip
        parser.add_argument(
            "--max-requests-jitter", type=whole_number(0), default=None,
            help="up to this many requests added at random to each worker's limit "
                 "(default: the limit itself), so that workers do not restart together",
        )  # fmt: skip

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving on http://{options['bind']}/ with {options['workers']} workers "
                          f"× {options['threads']} threads")  # fmt: skip
        self.stdout.flush()
        args = gunicorn_arguments(options, os.environ.get("GUNICORN_CMD_ARGS", ""))
        if args.notice:
            self.stdout.write(args.notice)
            self.stdout.flush()
        # No gunicorn access log: every request is already one line on "ascent.request",
        # with its id, route and duration (JSON in production).
        os.execv(sys.executable, args.argv)  # noqa: S606  (replaces this process with gunicorn)


@dataclass
class GunicornArguments:
    argv: list[str]
    notice: str = ""


def gunicorn_arguments(options: dict, cmd_args: str = "") -> GunicornArguments:
    """gunicorn's command line. A request limit, given here or in $GUNICORN_CMD_ARGS
    (what operators copy from other Django projects), always comes with a jitter: with
    none, workers started together reach the limit together and restart at once, and
    the site stalls for a second or more (issue #19)."""
    argv = [
        sys.executable, "-m", "gunicorn", "ascent.wsgi:application",
        "--bind", options["bind"],
        "--workers", str(options["workers"]),
        "--threads", str(options["threads"]),
        "--timeout", str(options["timeout"]),
    ]  # fmt: skip
    try:
        inherited = shlex.split(cmd_args or "")
    except ValueError:  # unbalanced quotes: gunicorn will say so itself
        inherited = []
    limit = options.get("max_requests") or _flag(inherited, "--max-requests") or 0
    jitter = options.get("max_requests_jitter")
    if jitter is None:
        jitter = _flag(inherited, "--max-requests-jitter")
    notice = ""
    if limit and jitter is None:
        jitter = limit
        if not options.get("max_requests"):
            notice = (f"$GUNICORN_CMD_ARGS sets --max-requests {limit} without a jitter: "
                      f"adding --max-requests-jitter {jitter} so that workers do not "
                      "restart together")  # fmt: skip
    if limit:
        # Recycled workers are forked from a master that has already imported and warmed
        # the application (ascent.wsgi), so a new worker serves at once instead of booting
        # for a second beside the others (issue #19, bench/worker_restart.py).
        argv += ["--max-requests", str(limit), "--max-requests-jitter", str(jitter)]
        if "--preload" not in inherited:
            argv.append("--preload")
    return GunicornArguments(argv, notice)


def _flag(args: list[str], name: str) -> int | None:
    """The whole number after ``name`` (``--name N`` or ``--name=N``), or None."""
    for i, arg in enumerate(args):
        value = args[i + 1] if arg == name and i + 1 < len(args) else None
        if arg.startswith(name + "="):
            value = arg.split("=", 1)[1]
        if value is not None:
            return int(value) if value.isdigit() else None
    return None
