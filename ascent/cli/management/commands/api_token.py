from django.contrib.auth import get_user_model

from ascent.cli.base import AscentCommand, Error
from ascent.common.domain.tokens import TokenError, create_token


class Command(AscentCommand):
    help = "Make a personal API token for a user; the secret is printed once."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the user's e-mail address")
        parser.add_argument("--name", default="api", help="what the token is for")
        parser.add_argument("--role", choices=["applicant", "reviewer", "staff"], default="",
                            help="act only as this one of the user's roles (default: all)")  # fmt: skip
        parser.add_argument("--write", action="store_true",
                            help="allow changes (saving, submitting); tokens only read otherwise")  # fmt: skip

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise Error(f"no user with the e-mail {options['email']}")
        try:
            token, secret = create_token(user, options["name"], role=options["role"],
                                         read_only=not options["write"])  # fmt: skip
        except TokenError as error:
            raise Error(str(error)) from error
        scope = f"as {token.role}" if token.role else "with all their roles"
        access = "read only" if token.read_only else "read and write"
        self.stdout.write(f"Token {token.prefix}… for {user.email}, {scope}, {access} (keep it "
                          f"secret; revoke it in the administration):\n{secret}")  # fmt: skip
