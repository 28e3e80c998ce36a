from django.contrib.auth import get_user_model

from ascent.cli.base import AscentCommand, Error
from ascent.common.domain.tokens import create_token


class Command(AscentCommand):
    help = "Make a personal API token for a user; the secret is printed once."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the user's e-mail address")
        parser.add_argument("--name", default="api", help="what the token is for")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise Error(f"no user with the e-mail {options['email']}")
        token, secret = create_token(user, options["name"])
        self.stdout.write(f"Token {token.prefix}… for {user.email} (keep it secret; revoke it "
                          f"in the administration):\n{secret}")  # fmt: skip
