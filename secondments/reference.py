"""Reference facts of the secondments app: the fields of expertise of vacancies."""

from __future__ import annotations

from pathlib import Path

from core.reference import ReferenceDataError, read_csv
from secondments.models import FieldOfExpertise

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def load() -> list[str]:
    """Load or update the fields of expertise from ``reference/fields_of_expertise.csv``."""
    path = REFERENCE_DIR / "fields_of_expertise.csv"
    created = updated = unchanged = 0
    existing = dict(FieldOfExpertise.objects.values_list("slug", "name"))
    for line, row in read_csv(path):
        if not row.get("slug") or not row.get("name"):
            raise ReferenceDataError(f"{path.name}:{line}: slug and name are required")
        if existing.get(row["slug"]) == row["name"]:
            unchanged += 1
            continue
        _obj, was_created = FieldOfExpertise.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"]}
        )
        created += was_created
        updated += not was_created
    return [f"fields of expertise: {created} created, {updated} updated, {unchanged} unchanged"]
