from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.roles import ROLES
from accounts.services import role_grant


class Command(BaseCommand):
    help = "Give USERNAME a role (hr, or focal-point with --state CODE); creates the user if missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=ROLES)
        parser.add_argument("--state", help="the State a focal point acts for (its code, e.g. AT)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user, created = role_grant(
                username=options["username"], role=options["role"], state_code=options["state"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        what = "created user" if created else "user"
        where = f" for {options['state'].upper()}" if options["state"] else ""
        self.stdout.write(self.style.SUCCESS(f"{what} {user.get_username()}: role {options['role']}{where}"))
        if created:
            self.stdout.write(
                "It has no usable password yet: set one with "
                f"`manage.py changepassword {user.get_username()}`."
            )
