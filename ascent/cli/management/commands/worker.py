from django.conf import settings
from django.core.management import call_command

from ascent.cli.base import AscentCommand, Error, whole_number
from ascent.common.domain.jobs import recover_jobs


class Command(AscentCommand):
    help = (
        "Run background tasks (screening, assignment, selection, e-mail) queued in the "
        "database (ASCENT_TASKS=database) or in Redis (ASCENT_TASKS=redis). Start as many "
        "as you like, on this machine or others sharing the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="run what is queued, then exit (for cron or tests)")  # fmt: skip
        parser.add_argument("--max-tasks", type=whole_number(1), default=None,
                            help="exit after this many tasks (a supervisor restarts it)")  # fmt: skip

    def handle(self, *args, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if not backend.startswith(("django_tasks_db", "django_tasks_rq")):
            raise Error("ASCENT_TASKS=immediate runs tasks inside the request that starts them; "
                        "set ASCENT_TASKS=database (or redis) for workers")  # fmt: skip
        requeued = recover_jobs()
        if requeued:
            self.stdout.write(f"Queued again after their worker stopped: jobs {requeued}.")
        if backend.startswith("django_tasks_rq"):
            arguments = ["default", "--job-class", "django_tasks_rq.Job"]
            if options["batch"]:
                arguments.append("--burst")
            if options["max_tasks"]:
                arguments += ["--max-jobs", str(options["max_tasks"])]
            call_command("rqworker", *arguments)
            return
        # No autoreloader (db_worker's default under DEBUG): it runs the worker in a child
        # process, which a supervisor's kill of this one would leave running.
        arguments = ["--queue-name", "*", "--no-startup-delay", "--no-reload"]
        if options["batch"]:
            arguments.append("--batch")
        if options["max_tasks"]:
            arguments += ["--max-tasks", str(options["max_tasks"])]
        call_command("db_worker", *arguments)
