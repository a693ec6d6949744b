"""The frame of `load_reference_data`: each app that ships facts has a ``reference`` module.

An app's ``<app>/reference.py`` defines ``load() -> list[str]`` (summary lines). The command runs
them in the order below inside one transaction, so a bad row anywhere loads nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

REFERENCE_APPS = ("states", "missions", "secondments")


class ReferenceDataError(ValueError):
    """A malformed reference row; the message names the file and line."""


def read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with their line numbers (the header is line 1)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, {key: (value or "").strip() for key, value in row.items() if key}
