from ascent.applications.domain.plans import send_reminders
from ascent.cli.base import AscentCommand


class Command(AscentCommand):
    help = (
        "E-mail earlier applicants when a program's next cycle is open, and a fortnight "
        "before its deadline if they have not submitted (run daily; each e-mail goes once)."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"{sent['opened']:,} 'the next cycle is open' and "
                          f"{sent['fortnight']:,} 'a fortnight left' e-mails sent.")  # fmt: skip
