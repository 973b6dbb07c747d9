"""manage.py api_token USERNAME [--name N] [--revoke PREFIX]: issue or revoke an API bearer token."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.accounts import services
from joinedup.accounts.models import User
from joinedup.core.actor import SYSTEM
from joinedup.core.errors import DomainError, NotFound


class Command(BaseCommand):
    help = "Print a new API token for a user (shown once; only its hash is kept), or revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="script", help="what the token is for")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix instead")

    def handle(self, *args: Any, username: str, name: str, revoke: str | None, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}")
        if revoke:
            try:
                services.api_token_revoke(SYSTEM, user=user, prefix=revoke)
            except NotFound as error:
                raise CommandError(error.message) from None
            self.stdout.write(f"Revoked token {revoke} of {username}.")
            return
        if not user.is_active:
            raise CommandError(f"{username} is deactivated: no token issued")
        try:
            token, plain = services.api_token_create(SYSTEM, user=user, name=name)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(plain)
        self.stderr.write(f"Token {token.prefix} for {username}: send it as 'Authorization: Bearer <token>'.")
