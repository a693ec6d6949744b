"""The fields of expertise load from the app's own copy of the reference data, idempotently."""

from __future__ import annotations

from secondments import reference
from secondments.models import FieldOfExpertise


def test_load_is_idempotent(db: None) -> None:
    first = reference.load()
    count = FieldOfExpertise.objects.count()
    assert count >= 10 and "created" in first[0]
    assert FieldOfExpertise.objects.filter(slug="rule-of-law", name="Rule of law").exists()
    second = reference.load()
    assert FieldOfExpertise.objects.count() == count
    assert second == [f"fields of expertise: 0 created, 0 updated, {count} unchanged"]
    FieldOfExpertise.objects.filter(slug="rule-of-law").update(name="Old name")
    assert reference.load() == [f"fields of expertise: 0 created, 1 updated, {count - 1} unchanged"]
    assert FieldOfExpertise.objects.get(slug="rule-of-law").name == "Rule of law"
