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
