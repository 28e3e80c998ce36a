from ascent.cli.base import AscentCommand
from ascent.decisions.domain.offers import expire_offers


class Command(AscentCommand):
    help = "Lapse the offers past their date; each promotes the next on the waitlist (run daily)."

    def handle(self, *args, **options):
        lapsed = expire_offers()
        self.stdout.write(f"{lapsed:,} offers lapsed.")
