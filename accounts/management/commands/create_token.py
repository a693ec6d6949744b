from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import DEFAULT_TOKEN_DAYS, token_create
from core.errors import Invalid


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it, alone, on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="default")
        expiry = parser.add_mutually_exclusive_group()
        expiry.add_argument(
            "--expires-days",
            type=int,
            default=DEFAULT_TOKEN_DAYS,
            help=f"days until it expires (default {DEFAULT_TOKEN_DAYS})",
        )
        expiry.add_argument("--no-expiry", action="store_true", help="a token that never expires")
        parser.add_argument(
            "--read-only", action="store_true", help="a token that answers 403 to every write"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(
                f"No user {options['username']!r}: create it first (grant_role creates one)."
            ) from None
        try:
            token, raw = token_create(
                user=user,
                name=options["name"],
                expires_days=None if options["no_expiry"] else options["expires_days"],
                read_only=options["read_only"],
            )
        except Invalid as error:
            raise CommandError(" ".join(error.messages)) from None
        expiry = f", expires {token.expires:%Y-%m-%d %H:%M %Z}" if token.expires else ", does not expire"
        scope = ", read-only" if token.read_only else ""
        self.stdout.write(
            f"Token {token.name!r} for {user.get_username()}{expiry}{scope}. It is shown only once:"
        )
        self.stdout.write(raw)
