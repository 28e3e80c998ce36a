"""What every ``ascent`` command shares: one-line errors with exit code 2, progress bars."""

import argparse
import sys
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm


class Error(CommandError):
    """Wrong or impossible parameters: printed as 'Error: <message>', exit code 2."""

    def __init__(self, message: str):
        super().__init__(message, returncode=2)


class _OneLineParser(CommandParser):
    def error(self, message):
        if self.called_from_command_line:
            self.exit(2, f"{self.prog}: error: {message}\n")
        raise Error(message)


class AscentCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse prints the whole usage before an error; one line is kinder.
        parser.__class__ = _OneLineParser
        return parser


def whole_number(minimum: int):
    """An argparse type for a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {value})")
        return value

    return parse


@contextmanager
def progress_bar(total: int, description: str, unit: str = "rows"):
    """Yield a callback ``(label, n)``; draws on stderr only when it is a terminal."""
    with tqdm(
        total=total, desc=description, unit=unit, unit_scale=True, disable=not sys.stderr.isatty()
    ) as bar:

        def advance(label: str, n: int) -> None:
            bar.set_postfix_str(label, refresh=False)
            bar.update(n)

        yield advance


@contextmanager
def phase_bar(description: str):
    """Yield a ``progress(phase, done, total)`` callback drawing one bar per phase."""
    bar = tqdm(desc=description, total=0, disable=not sys.stderr.isatty())
    state = {"phase": None}

    def progress(phase: str, done: int, total: int) -> None:
        if phase != state["phase"]:
            state["phase"] = phase
            bar.reset(total=total)
            bar.set_description_str(f"{description}: {phase}")
        bar.n = done
        bar.refresh()

    try:
        yield progress
    finally:
        bar.close()


def add_cycle_arguments(parser) -> None:
    """CYCLE and --queue, shared by the commands that run a step of a cycle."""
    parser.add_argument("cycle", help="program/cycle slugs, a unique cycle slug, or the id")
    parser.add_argument(
        "--queue", action="store_true",
        help="queue it for a background worker instead of running it here",
    )  # fmt: skip


def find_cycle(text: str):
    """A cycle by "program-slug/cycle-slug", by its slug when only one program has it,
    or by id (slugs are often years, so a slug wins over an id)."""
    from ascent.programs.models import Cycle

    cycles = Cycle.objects.select_related("program")
    if "/" in text:
        program, _, slug = text.partition("/")
        found = list(cycles.filter(program__slug=program, slug=slug))
    else:
        found = list(cycles.filter(slug=text))
        if not found and text.isdigit():
            found = list(cycles.filter(pk=int(text)))
    if len(found) == 1:
        return found[0]
    known = [f"{c.program.slug}/{c.slug}" for c in cycles.order_by("program__slug", "slug")[:12]]
    if len(found) > 1:
        raise Error(f"cycle '{text}' is in several programs; write program/cycle, one of: "
                    + ", ".join(f"{c.program.slug}/{c.slug}" for c in found))  # fmt: skip
    raise Error(f"no cycle '{text}' (known: {', '.join(known) or 'none'})")


def table(rows: list[tuple], headers: tuple[str, ...]) -> str:
    """A plain text table: first column left-aligned, the others right-aligned."""
    cells = [tuple(str(c) for c in headers)] + [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                        strict=True)]  # fmt: skip
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def job_line(job) -> str:
    """One line on a job just queued; raises Error when it has already failed (the
    immediate backend runs it inline)."""
    job.refresh_from_db()
    if job.state == "failed":
        raise Error(job.error)
    if job.state == "done":
        return f"Job {job.pk} is done (the task backend ran it at once): {job.kind} finished."
    return (f"Queued as job {job.pk}; a worker (ascent db_worker) will run it. "
            f"Follow it in the admin under Jobs.")  # fmt: skip
