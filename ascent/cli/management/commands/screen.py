from ascent.applications.domain.screening import screen_cycle
from ascent.applications.tasks import start_screening
from ascent.cli.base import (
    AscentCommand,
    Error,
    add_cycle_arguments,
    find_cycle,
    job_line,
    phase_bar,
    table,
)
from ascent.programs.domain.errors import ProgramError


class Command(AscentCommand):
    help = "Screen every submitted application of a cycle against its requirements."

    def add_arguments(self, parser):
        add_cycle_arguments(parser)

    def handle(self, *args, **options):
        cycle = find_cycle(options["cycle"])
        try:
            if options["queue"]:
                self.stdout.write(job_line(start_screening(cycle)))
                return
            with phase_bar("Screening") as progress:
                summary = screen_cycle(cycle, progress=progress)
        except ProgramError as error:
            raise Error(str(error)) from None
        self.stdout.write(
            f"Screened {summary.applications:,} applications of {summary.cycle} "
            f"(durations counted to {summary.screened_on}) in {summary.seconds:.1f} s.\n"
        )
        self.stdout.write(table(
            [("eligible", f"{summary.eligible:,}"), ("not eligible", f"{summary.ineligible:,}")],
            ("result", "applications"),
        ))  # fmt: skip
        self.stdout.write("")
        self.stdout.write(table(
            [(summary.requirement_names[key], f"{count:,}")
             for key, count in summary.failed_by_requirement.items()],
            ("failed requirement", "applications"),
        ))  # fmt: skip
        if summary.moved:
            moves = ", ".join(f"{move} {count:,}" for move, count in summary.moved.items())
            self.stdout.write(f"\nStatus changes: {moves}.")
        if summary.overridden:
            self.stdout.write(f"Staff overrides kept: {summary.overridden:,}.")
        if summary.decided_now_ineligible:
            self.stdout.write(
                f"Warning: {summary.decided_now_ineligible:,} already decided applications "
                "fail the requirements now; their status was left alone."
            )
