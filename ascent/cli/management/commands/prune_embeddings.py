from ascent.cli.base import AscentCommand
from ascent.review.domain.embeddings import prune_embeddings


class Command(AscentCommand):
    help = (
        "Delete the stored text embeddings that no current application or reviewer "
        "profile gives (changed, anonymised or removed texts; run daily)."
    )

    def handle(self, *args, **options):
        deleted = prune_embeddings()
        self.stdout.write(f"{deleted:,} stored embeddings deleted.")
