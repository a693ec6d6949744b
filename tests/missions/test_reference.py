"""The field operations of the reference: complete, idempotent, and refusing malformed rows."""

from __future__ import annotations

import csv
import datetime
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from core.reference import ReferenceDataError
from missions import reference
from missions.models import FieldOperation

SOURCE = Path(reference.__file__).resolve().parent / "reference" / "field_operations.csv"


def _copy(tmp_path: Path) -> Path:
    shutil.copy(SOURCE, tmp_path / "field_operations.csv")
    return tmp_path


def _rewrite(directory: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = directory / "field_operations.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames
        rows = list(reader)
    rows = change(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_loads_every_operation_of_the_reference(reference_loaded: list[str]) -> None:
    assert FieldOperation.objects.count() == 43
    assert "43 in field_operations.csv (43 new" in reference_loaded[0]
    kosovo = FieldOperation.objects.get(slug="mission-in-kosovo")
    assert kosovo.host_state is None
    assert kosovo.predecessor.slug == "task-force-for-kosovo"
    bih = FieldOperation.objects.get(code="BAH")
    assert bih.slug == "mission-to-bosnia-and-herzegovina"
    assert bih.decisions == ["MC(5).DEC/1"]
    assert sorted(bih.dimensions.values_list("slug", flat=True)) == [
        "economic-environmental",
        "human",
        "politico-military",
    ]


def test_the_astana_chain_is_linked(reference_loaded: list[str]) -> None:
    office = FieldOperation.objects.get(slug="programme-office-in-astana")
    assert office.predecessor.slug == "centre-in-astana"
    assert office.predecessor.predecessor.slug == "centre-in-almaty"
    assert office.predecessor.predecessor.predecessor is None
    almaty = FieldOperation.objects.get(slug="centre-in-almaty")
    assert almaty.successor.successor == office
    assert almaty.closed == datetime.date(2007, 6, 21)


def test_every_operation_has_a_unique_three_letter_code(reference_loaded: list[str]) -> None:
    codes = list(FieldOperation.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 43
    assert all(len(code) == 3 and code.isupper() for code in codes)


def test_active_today_are_the_current_operations(reference_loaded: list[str]) -> None:
    active = set(FieldOperation.objects.active(datetime.date(2026, 11, 28)).values_list("slug", flat=True))
    assert active == {
        "presence-in-albania",
        "mission-to-bosnia-and-herzegovina",
        "mission-in-kosovo",
        "mission-to-montenegro",
        "mission-to-serbia",
        "mission-to-skopje",
        "mission-to-moldova",
        "centre-in-ashgabat",
        "programme-office-in-astana",
        "programme-office-in-bishkek",
        "programme-office-in-dushanbe",
        "project-co-ordinator-in-uzbekistan",
    }


def test_loading_twice_changes_nothing(reference_loaded: list[str]) -> None:
    before = {op.slug: (op.pk, op.predecessor_id, op.code) for op in FieldOperation.objects.all()}
    lines = reference_load_again()
    assert "(0 new, 0 updated, 0 predecessor links set)" in lines[0]
    after = {op.slug: (op.pk, op.predecessor_id, op.code) for op in FieldOperation.objects.all()}
    assert before == after


def reference_load_again() -> list[str]:
    return reference.load()


def test_changed_facts_are_updated(reference_loaded: list[str], tmp_path: Path) -> None:
    directory = _copy(tmp_path)

    def change(rows: list[dict]) -> list[dict]:
        for row in rows:
            if row["slug"] == "mission-to-moldova":
                row["location"] = "Chisinau"
                row["dimensions"] = "human"
        return rows

    _rewrite(directory, change)
    lines = reference.load(directory)
    assert "(0 new, 1 updated" in lines[0]
    moldova = FieldOperation.objects.get(slug="mission-to-moldova")
    assert moldova.location == "Chisinau"
    assert list(moldova.dimensions.values_list("slug", flat=True)) == ["human"]


def test_predecessors_may_come_after_their_successors_in_the_file(
    dimensions: dict, host_states: dict, tmp_path: Path
) -> None:
    directory = _copy(tmp_path)
    _rewrite(directory, lambda rows: list(reversed(rows)))
    reference.load(directory)
    assert (
        FieldOperation.objects.get(slug="mission-to-serbia").predecessor.slug
        == "mission-to-serbia-and-montenegro"
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("established", "1997-13-40", "established '1997-13-40' is not a date"),
        ("kind", "embassy", "kind 'embassy' is unknown"),
        ("region", "mars", "region 'mars' is unknown"),
        ("host_state", "XX", "host_state 'XX' is not a loaded State"),
        ("predecessor", "nowhere", "predecessor 'nowhere' is not an operation of the file"),
        ("code", "ab", "code 'ab' is not three capital letters"),
        ("closed", "1990-01-01", "is not after established"),
        ("established_precision", "week", "established_precision 'week'"),
        ("dimensions", "cyber", "dimension 'cyber' is not a loaded dimension"),
        ("name", "", "name is missing"),
    ],
)
def test_a_malformed_row_names_the_file_and_line(
    dimensions: dict, host_states: dict, tmp_path: Path, column: str, value: str, message: str
) -> None:
    directory = _copy(tmp_path)

    def change(rows: list[dict]) -> list[dict]:
        rows[4][column] = value  # the sixth line of the file
        return rows

    _rewrite(directory, change)
    with pytest.raises(ReferenceDataError) as error:
        reference.load(directory)
    assert str(error.value).startswith("field_operations.csv:6: ")
    assert message in str(error.value)


def test_a_missing_host_state_is_refused_with_its_line(dimensions: dict, tmp_path: Path) -> None:
    # No States loaded at all: the first row (line 2) names its host State.
    with pytest.raises(
        ReferenceDataError, match=r"field_operations.csv:2: host_state 'AL' is not a loaded State"
    ):
        reference.load(_copy(tmp_path))
    assert FieldOperation.objects.count() == 0


def test_duplicate_slug_and_code_are_refused(dimensions: dict, host_states: dict, tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _rewrite(directory, lambda rows: [*rows, {**rows[0], "code": "ZZZ"}])
    with pytest.raises(
        ReferenceDataError, match=r":45: slug 'presence-in-albania' repeats field_operations.csv:2"
    ):
        reference.load(directory)
    directory = _copy(tmp_path)
    _rewrite(directory, lambda rows: [*rows, {**rows[0], "slug": "another-presence"}])
    with pytest.raises(ReferenceDataError, match=r":45: code 'ALB' repeats"):
        reference.load(directory)


def test_load_reference_data_command_loads_the_operations(dimensions: dict, host_states: dict) -> None:
    # The host States and dimensions are here already (the States loader, when present, runs first
    # and updates them in place).
    from io import StringIO

    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert FieldOperation.objects.count() == 43
    assert "field operations: 43" in out.getvalue()


def test_the_research_file_without_code_and_dimensions_columns_loads(
    dimensions: dict, host_states: dict, tmp_path: Path
) -> None:
    # The shared research format has no `code` or `dimensions` column: codes are derived.
    directory = _copy(tmp_path)

    def drop(rows: list[dict]) -> list[dict]:
        return [
            {key: value for key, value in row.items() if key not in ("code", "dimensions")} for row in rows
        ]

    path = directory / "field_operations.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = drop(list(csv.DictReader(handle)))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    reference.load(directory)
    codes = dict(FieldOperation.objects.values_list("slug", "code"))
    assert len(codes) == 43
    assert len(set(codes.values())) == 43
    assert codes["mission-to-bosnia-and-herzegovina"] == "BAH"
    assert codes["mission-in-kosovo"] == "KOS"
    # Loading the project's own file afterwards sets its codes and dimensions.
    reference.load()
    assert FieldOperation.objects.get(slug="programme-office-in-astana").code == "AST"
    assert FieldOperation.objects.get(slug="mission-to-moldova").dimensions.count() == 3


def test_a_row_without_code_keeps_the_operations_code(reference_loaded: list[str], tmp_path: Path) -> None:
    directory = _copy(tmp_path)

    def blank(rows: list[dict]) -> list[dict]:
        for row in rows:
            if row["slug"] == "mission-to-skopje":
                row["code"] = ""
        return rows

    _rewrite(directory, blank)
    lines = reference.load(directory)
    assert "(0 new, 0 updated" in lines[0]
    assert FieldOperation.objects.get(slug="mission-to-skopje").code == "SKO"


@pytest.mark.parametrize(
    ("name", "taken", "code"),
    [
        ("Mission to Bosnia and Herzegovina", set(), "BAH"),
        ("Presence in Albania", set(), "ALB"),
        ("Centre in Astana", {"AST"}, "ASA"),
        ("Summit", set(), "SUM"),
    ],
)
def test_derive_code(name: str, taken: set[str], code: str) -> None:
    assert reference.derive_code(name, taken) == code
