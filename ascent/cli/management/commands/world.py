from ascent.cli.base import AscentCommand, Error, progress_bar, whole_number
from ascent.cli.world_loader import WorldExists, delete_world_program, expected_rows, load_world
from ascent.engine.world import WorldError, generate_world

SIZE_OPTIONS = {
    # option: (default, minimum, help)
    "cycles": (12, 1, "yearly cycles of history"),
    "applicants_per_cycle": (2000, 1, "applications in each cycle"),
    "reviewers": (120, 1, "members of the review panel"),
    "reviews_per_application": (3, 1, "reviews each eligible application gets"),
    "capacity": (12, 1, "seats filled in each cycle"),
}


def add_world_arguments(parser) -> None:
    parser.add_argument("--seed", type=whole_number(0), default=0, help="random seed (default 0)")
    for name, (default, minimum, text) in SIZE_OPTIONS.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            type=whole_number(minimum),
            default=default,
            help=f"{text} (default {default})",
        )


def build_and_load(options: dict, stdout):
    """Generate the world the options describe and load it, with a progress bar."""
    try:
        world = generate_world(
            seed=options["seed"], **{name: options[name] for name in SIZE_OPTIONS}
        )
    except WorldError as error:
        raise Error(f"--{error.parameter.replace('_', '-')}: {error.message}") from None
    try:
        with progress_bar(expected_rows(world), "Loading the world") as advance:
            summary = load_world(world, progress=advance)
    except WorldExists as error:
        raise Error(str(error)) from None
    stdout.write(
        f"Loaded '{summary.program.name}': {len(world.cycles)} cycles, "
        f"{summary.rows.get('applications', 0):,} applications, "
        f"{summary.rows.get('reviews', 0):,} reviews, {summary.total_rows:,} rows."
    )
    return summary


class Command(AscentCommand):
    help = "Generate a synthetic astronaut-candidate program and load it into the database."

    def add_arguments(self, parser):
        add_world_arguments(parser)
        parser.add_argument(
            "--replace", action="store_true", help="delete the world's program first if it exists"
        )

    def handle(self, *args, **options):
        if options["replace"] and delete_world_program():
            self.stdout.write("Deleted the previous world.")
        build_and_load(options, self.stdout)
