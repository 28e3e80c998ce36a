from ascent.cli.base import (
    AscentCommand,
    Error,
    add_cycle_arguments,
    find_cycle,
    job_line,
    phase_bar,
    table,
)
from ascent.engine.assignment import OBJECTIVES
from ascent.programs.models import StageKind
from ascent.review.domain.assignment import assign_stage
from ascent.review.domain.errors import ReviewError
from ascent.review.tasks import start_assignment


class Command(AscentCommand):
    help = "Assign reviewers to every application in review for a stage of a cycle."

    def add_arguments(self, parser):
        add_cycle_arguments(parser)
        parser.add_argument("--stage", help="the stage's key (default: the cycle's review stage)")
        parser.add_argument(
            "--objective", choices=OBJECTIVES, default="total",
            help="total: the highest summed affinity; fair: lift the worst-off application "
                 "first (default total)",
        )  # fmt: skip

    def handle(self, *args, **options):
        cycle = find_cycle(options["cycle"])
        stages = cycle.stages.filter(kind__in=[StageKind.REVIEW, StageKind.INTERVIEW])
        keys = ", ".join(stages.values_list("key", flat=True)) or "none"
        if options["stage"]:
            stage = stages.filter(key=options["stage"]).first()
            if stage is None:
                raise Error(f"--stage: no review stage '{options['stage']}' (known: {keys})")
        elif stages.count() == 1:
            stage = stages.get()
        else:
            raise Error(f"--stage: say which review stage (known: {keys})")
        try:
            if options["queue"]:
                self.stdout.write(job_line(start_assignment(stage, objective=options["objective"])))
                return
            with phase_bar("Assigning") as progress:
                summary = assign_stage(stage, objective=options["objective"], progress=progress)
        except ReviewError as error:
            raise Error(str(error)) from None
        s = summary
        self.stdout.write(
            f"Assigned {s.assigned:,} reviews ({s.kept:,} kept: locked or begun) for "
            f"{s.applications:,} applications among {s.reviewers:,} reviewers in "
            f"{s.seconds:.1f} s; objective {s.objective}.\n"
            f"Total affinity {s.total_affinity:,.2f} of a proven ceiling of "
            f"{s.upper_bound:,.2f}; worst-off application {s.min_application_affinity:.2f}.\n"
            f"Conflicts respected: {sum(s.conflicts.values()):,} "
            f"({', '.join(f'{k} {v:,}' for k, v in sorted(s.conflicts.items())) or 'none'}); "
            f"{s.detected_now:,} detected now.\n"
        )
        self.stdout.write(table([(load, f"{count:,}") for load, count in s.load_histogram.items()],
                                ("reviews per reviewer", "reviewers")))  # fmt: skip
        self.stdout.write("")
        self.stdout.write(table(list(s.affinity_quantiles.items()), ("quantile", "affinity")))
