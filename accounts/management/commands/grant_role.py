from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.roles import ROLES
from accounts.services import role_grant
from core.errors import Invalid


class Command(BaseCommand):
    help = (
        "Give USERNAME a role (hr, odihr, or focal-point with --state CODE or --partner CODE); "
        "creates the user if missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=ROLES)
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--state", help="the participating State a focal point acts for (its code, e.g. AT)"
        )
        where.add_argument("--partner", help="the Partner for Co-operation a focal point acts for (e.g. JP)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user, created = role_grant(
                username=options["username"],
                role=options["role"],
                state_code=options["state"],
                partner_code=options["partner"],
            )
        except Invalid as error:
            raise CommandError(" ".join(error.messages)) from None
        what = "created user" if created else "user"
        code = options["state"] or options["partner"]
        where = f" for {code.upper()}" if code else ""
        self.stdout.write(self.style.SUCCESS(f"{what} {user.get_username()}: role {options['role']}{where}"))
        if created:
            self.stdout.write(
                "It has no usable password yet: set one with "
                f"`manage.py changepassword {user.get_username()}`."
            )
