from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import token_create
from core.errors import Invalid


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it, alone, on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="default")
        parser.add_argument("--expires-days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(
                f"No user {options['username']!r}: create it first (grant_role creates one)."
            ) from None
        try:
            token, raw = token_create(user=user, name=options["name"], expires_days=options["expires_days"])
        except Invalid as error:
            raise CommandError(" ".join(error.messages)) from None
        expiry = f", expires {token.expires:%Y-%m-%d %H:%M %Z}" if token.expires else ", does not expire"
        self.stdout.write(f"Token {token.name!r} for {user.get_username()}{expiry}. It is shown only once:")
        self.stdout.write(raw)
