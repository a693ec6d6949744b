from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.reference import REFERENCE_APPS, ReferenceDataError


class Command(BaseCommand):
    help = (
        "Load or update the reference data (participating States, partners, dimensions and topics, "
        "bodies, chairpersonships, field operations, fields of expertise). Idempotent; a malformed "
        "row loads nothing and is named with its line."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                for app in REFERENCE_APPS:
                    if find_spec(f"{app}.reference") is None:
                        continue
                    module = import_module(f"{app}.reference")
                    for line in module.load():
                        self.stdout.write(line)
        except ReferenceDataError as error:
            raise CommandError(f"nothing loaded: {error}") from None
        self.stdout.write(self.style.SUCCESS("reference data up to date"))
