import os
import sys

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

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving on http://{options['bind']}/ with {options['workers']} workers "
                          f"× {options['threads']} threads")  # fmt: skip
        self.stdout.flush()
        args = [
            sys.executable, "-m", "gunicorn", "ascent.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--timeout", str(options["timeout"]),
        ]  # fmt: skip
        # No gunicorn access log: every request is already one line on "ascent.request",
        # with its id, route and duration (JSON in production).
        os.execv(sys.executable, args)  # noqa: S606  (replaces this process with gunicorn)
