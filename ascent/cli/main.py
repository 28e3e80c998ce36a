"""The ``ascent`` console script: Django's management commands under a shorter name."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascent.settings")
    argv = sys.argv[1:] if argv is None else argv
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    first = argv[0] if argv else "help"
    if not first.startswith("-") and first != "help" and first not in get_commands():
        print(f"ascent: error: unknown command '{first}' (see 'ascent help')", file=sys.stderr)
        return 2
    try:
        execute_from_command_line(["ascent", *argv])
    except BrokenPipeError:  # `ascent ... | head`: the reader left, which is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
