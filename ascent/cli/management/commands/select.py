from ascent.applications.models import Application
from ascent.cli.base import (
    AscentCommand,
    Error,
    add_cycle_arguments,
    find_cycle,
    job_line,
    phase_bar,
    table,
    whole_number,
)
from ascent.decisions.domain.deciding import decide_cycle
from ascent.decisions.domain.errors import DecisionError
from ascent.decisions.models import Decision
from ascent.decisions.tasks import start_decision


class Command(AscentCommand):
    help = (
        "Decide a cycle: calibrate reviewers, select under capacity and quotas, audit the "
        "noise, write every gap report. Stores the decisions unreleased."
    )

    def add_arguments(self, parser):
        add_cycle_arguments(parser)
        parser.add_argument("--draws", type=whole_number(1), default=1000,
                            help="re-runs of the noise audit (default 1,000)")  # fmt: skip
        parser.add_argument("--seed", type=whole_number(0), default=0,
                            help="random seed of the audit (default 0)")  # fmt: skip

    def handle(self, *args, **options):
        cycle = find_cycle(options["cycle"])
        try:
            if options["queue"]:
                job = start_decision(cycle, draws=options["draws"], seed=options["seed"])
                self.stdout.write(job_line(job))
                return
            with phase_bar("Deciding") as progress:
                s = decide_cycle(cycle, draws=options["draws"], seed=options["seed"],
                                 progress=progress)  # fmt: skip
        except DecisionError as error:
            raise Error(str(error)) from None
        self.stdout.write(
            f"Decided {s.applications:,} applications of {s.cycle} in {s.seconds:.1f} s "
            f"(run {s.run}; not released).\n"
            f"Cutoff {s.cutoff:.2f}; expected overlap of a re-run {s.expected_overlap:.0%}; "
            f"{s.borderline:,} borderline decisions; {s.ineligible:,} not eligible.\n"
        )
        decisions = {
            d.application_id: d
            for d in Decision.objects.filter(run_id=s.run, outcome__in=["selected", "waitlisted"])
        }
        names = dict(
            Application.objects.filter(pk__in=list(decisions)).values_list(
                "receipt", "applicant__display_name"
            )
        )
        by_receipt = {d.application.receipt: d for d in decisions.values()}
        for title, receipts in (("selected", s.selected), ("waitlist", s.waitlist)):
            rows = [(receipt, names.get(receipt, ""), f"{by_receipt[receipt].composite:.2f}",
                     f"{by_receipt[receipt].p_selected:.0%}") for receipt in receipts]  # fmt: skip
            self.stdout.write(table(rows, (title, "name", "composite", "p(selected)")))
            self.stdout.write("")
        if s.quotas:
            self.stdout.write(table(list(s.quotas.items()), ("quota group", "selected")))
