from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write the whole database and the private files (CVs, reports) to one archive (.tar.gz, "
        "readable by its owner only). `restore PATH` puts it back into an empty database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, help="the archive to write, e.g. backups/portal-2026-11-30.tar.gz"
        )

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            manifest = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"backed up the database and {manifest['files']} private files to {path}")
