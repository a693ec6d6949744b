from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core import mirror
from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database (DATABASE_URL, or the "
        "embedded one) and the private files' folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive written by `manage.py backup`")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            manifest = restore(path)
            mirror.forget()  # its numbers may be larger than the restored ones
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored the database and {manifest['files']} private files from {path}")
