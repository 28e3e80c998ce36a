from django.conf import settings
from django.core.management import call_command

from ascent.cli.base import AscentCommand, Error
from ascent.cli.demo_logins import (
    create_demo_logins,
    open_demo_cycle,
    persona_plan_and_community,
    template_program,
)
from ascent.programs.models import Cycle, Program
from ascent.review.domain.assignment import score_unscored

from .world import add_world_arguments, build_and_load


class Command(AscentCommand):
    help = (
        "Prepare the database, load the demo world when the database has no program, "
        "create demo logins, and serve on 127.0.0.1."
    )

    def add_arguments(self, parser):
        add_world_arguments(parser)
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare everything but do not serve"
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise Error("the demo has public passwords and does not run with ASCENT_ENV=production")
        self.stdout.write("Preparing the database…")
        call_command("migrate", verbosity=0, interactive=False)
        if Program.objects.exists():
            self.stdout.write("The database already has programs; not loading the demo world.")
        else:
            build_and_load(options, self.stdout)
            self.stdout.write("Scoring how well each reviewer fits the applications they got…")
            for cycle in Cycle.objects.order_by("deadline"):
                score_unscored(cycle)
        opened = open_demo_cycle()
        if opened is not None:
            self.stdout.write(f"Opened '{opened.name}' for applications, until "
                              f"{opened.deadline:%Y-%m-%d}.")  # fmt: skip
        logins = create_demo_logins()
        made = template_program()
        if made is not None:
            self.stdout.write(f"Made '{made.program.name}' from the fellowship template and "
                              f"opened '{made.name}' (staff manage it; nothing else in it).")  # fmt: skip
        if persona_plan_and_community(f"http://127.0.0.1:{options['port']}"):
            self.stdout.write("Maya's plan, her teacher's note and the reminders are in.")
        self.print_logins(logins, options["port"])
        if not options["no_serve"]:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)

    def print_logins(self, logins, port: int) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Ascent demo: http://127.0.0.1:{port}/"))
        self.stdout.write(f"Administration: http://127.0.0.1:{port}/admin/")
        self.stdout.write("Demo logins (user name / password):")
        for login in logins:
            self.stdout.write(
                f"  {login.role:<10} {login.username} / {login.password}  ({login.note})"
            )
        self.stdout.write("")
