"""``load_reference_data`` for the organisation: complete, idempotent, updating, transactional."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEntry
from core.reference import ReferenceDataError
from states import reference as states_reference
from states.models import Body, Chairpersonship, Delegation, Dimension, Partner, State, Topic

SHIPPED = states_reference.REFERENCE_DIR
MODELS = (State, Partner, Dimension, Topic, Body, Chairpersonship, Delegation)


def _rows(name: str) -> list[dict[str, str]]:
    with (SHIPPED / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _snapshot() -> dict[str, list[tuple]]:
    """Every loaded row, all fields, in a stable order."""
    return {
        model.__name__: sorted(
            tuple(str(value) for value in row.values())
            for row in model.objects.values(*[field.attname for field in model._meta.concrete_fields])
        )
        for model in MODELS
    }


def _copy(tmp_path: Path) -> Path:
    directory = tmp_path / "reference"
    shutil.copytree(SHIPPED, directory)
    return directory


def _edit(directory: Path, name: str, line: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on line ``line`` (1 = header) of a CSV file."""
    path = directory / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], (old, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def _line_of(name: str, start: str) -> int:
    """The line number of the row whose first columns are ``start`` (e.g. ``MN`` or ``human,elections``)."""
    for number, line in enumerate((SHIPPED / name).read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(start + ","):
            return number
    raise AssertionError(start)


def test_loads_every_fact(reference: str) -> None:
    assert State.objects.count() == len(_rows("states.csv")) == 62
    assert Partner.objects.count() == len(_rows("partners.csv")) == 11
    assert list(Dimension.objects.values_list("slug", "name", "order")) == [
        ("politico-military", "Politico-military dimension", 1),
        ("economic-environmental", "Economic and environmental dimension", 2),
        ("human", "Human dimension", 3),
    ]
    assert Topic.objects.count() == len(_rows("topics.csv")) == 25
    assert Body.objects.count() == len(_rows("bodies.csv")) == 17
    assert Chairpersonship.objects.count() == len(_rows("chairpersonships.csv")) == 36
    # One empty permanent mission per State participating today, no people.
    assert Delegation.objects.count() == 57
    assert not Delegation.objects.exclude(head_name="").exists()
    assert "participating States: 62 in the reference (62 created, 0 updated, 0 unchanged)" in reference


def test_former_states_and_their_successors(reference: str) -> None:
    former = dict(State.objects.filter(left__isnull=False).values_list("code", "successor"))
    assert former == {"SUHH": "RU", "DDDE": "DE", "CSHH": None, "YUCS": None, "CSXX": "RS"}
    ussr = State.objects.get(code="SUHH")
    assert ussr.left == datetime.date(1991, 12, 26)
    assert ussr.joined_precision == "day"
    assert not Delegation.objects.filter(state__in=former).exists()


def test_every_date_matches_the_reference(reference: str) -> None:
    for row in _rows("states.csv"):
        state = State.objects.get(code=row["code"])
        assert state.joined.isoformat() == row["joined"], row["code"]
        assert state.joined_precision == row["joined_precision"]
        assert (state.left.isoformat() if state.left else "") == row["left"]
        assert (state.successor_id or "") == row["successor"]
        assert state.source == row["source"]


def test_loading_twice_changes_nothing(reference: str) -> None:
    before = _snapshot()
    audits = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audits
    summary = out.getvalue()
    assert "(0 created, 0 updated, 62 unchanged)" in summary
    assert "permanent missions: 57 (0 created, empty)" in summary
    assert " created, " in summary and "1 created" not in summary


def test_a_second_run_writes_nothing(reference: str, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    # Reads only: one SELECT per kind of fact plus the missions check; no INSERT or UPDATE.
    with django_assert_max_num_queries(12) as captured:
        states_reference.load()
    writes = [
        q["sql"] for q in captured.captured_queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []


def test_a_changed_fact_is_updated_in_place(reference: str) -> None:
    State.objects.filter(code="MK").update(name="The former Yugoslav Republic of Macedonia")
    Body.objects.filter(slug="odihr").update(seat="Prague")
    Chairpersonship.objects.filter(year=2026).update(state_id="AT")
    count = State.objects.count()

    lines = states_reference.load()

    assert State.objects.count() == count
    assert State.objects.get(code="MK").name == "North Macedonia"
    assert Body.objects.get(slug="odihr").seat == "Warsaw"
    assert Chairpersonship.objects.get(year=2026).state_id == "CH"
    assert "participating States: 62 in the reference (0 created, 1 updated, 61 unchanged)" in lines
    entry = AuditEntry.objects.get(action="reference.updated", target_type="states.state")
    assert entry.target_id == "MK" and entry.data == {"fields": ["name"]}


def test_an_existing_row_keyed_by_code_is_completed_not_duplicated(db: None) -> None:
    # Another part of the portal may have created Austria before the first load (tests do).
    State.objects.create(code="AT", name="Österreich", iso_alpha3="AUX", joined=datetime.date(1990, 1, 1))
    states_reference.load()
    austria = State.objects.get(code="AT")
    assert (austria.name, austria.iso_alpha3, austria.joined) == ("Austria", "AUT", datetime.date(1975, 8, 1))
    assert State.objects.count() == 62


def test_rows_not_in_the_reference_are_kept_and_counted(reference: str) -> None:
    State.objects.create(code="XK", name="Test State", iso_alpha3="XKX", joined=datetime.date(2020, 1, 1))
    lines = states_reference.load()
    assert State.objects.filter(code="XK").exists()
    assert any("1 more in the database, not in the reference (kept)" in line for line in lines)


BAD_ROWS = [
    # (file, first column of the row, old text, new text, what the message says)
    ("states.csv", "MN", "2012-11-21", "2012-13-21", "joined: '2012-13-21' is not a date to the day"),
    ("states.csv", "MN", "2012-11-21", "21/11/2012", "joined: '21/11/2012' is not a date to the day"),
    ("states.csv", "MN", ",day,", ",week,", "joined_precision: 'week' is not one of day, month, year"),
    ("states.csv", "SUHH", "1991-12-26", "1970-01-01", "left: 1970-01-01 is not after joined"),
    ("states.csv", "SUHH", ",RU,", ",XX,", "successor: 'XX' is not another State of states.csv"),
    ("states.csv", "MN", "MN,Mongolia", "mn,Mongolia", "state_code_upper"),
    ("states.csv", "MN", "MN,Mongolia", "AT,Mongolia", "code 'AT' already given on line 2"),
    ("states.csv", "MN", "MN,Mongolia,MNG", "MN,,MNG", "name: a value is required"),
    ("partners.csv", "JP", "asian", "pacific", "group: Value 'pacific' is not a valid choice."),
    ("partners.csv", "JP", "1992", "92", "since: '92' is not a year"),
    (
        "topics.csv",
        "human,elections",
        "human,elections",
        "social,elections",
        "dimension: 'social' is not a dimension",
    ),
    ("bodies.csv", "odihr", "institution", "agency", "kind: Value 'agency' is not a valid choice."),
    ("chairpersonships.csv", "2026", "2026,CH", "2026,ZZ", "state: 'ZZ' is not a State of states.csv"),
]


@pytest.mark.parametrize(("name", "key", "old", "new", "message"), BAD_ROWS)
def test_a_malformed_row_is_refused_with_its_line(
    tmp_path: Path, db: None, name: str, key: str, old: str, new: str, message: str
) -> None:
    directory = _copy(tmp_path)
    line = _line_of(name, key)
    _edit(directory, name, line, old, new)

    with pytest.raises(ReferenceDataError) as refused:
        states_reference.load(directory)

    text = str(refused.value)
    assert f"{name}, line {line}:" in text
    assert message in text
    for model in MODELS:
        assert not model.objects.exists(), model


def test_the_command_loads_nothing_from_a_malformed_set(
    tmp_path: Path, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row refused late (partners, after dimensions, topics and States were written) undoes it all."""
    directory = _copy(tmp_path)
    line = _line_of("partners.csv", "AU")
    _edit(directory, "partners.csv", line, "asian", "oceanian")
    monkeypatch.setattr(states_reference, "REFERENCE_DIR", directory)

    with pytest.raises(CommandError) as refused:
        call_command("load_reference_data", stdout=io.StringIO())

    assert str(refused.value).startswith("nothing loaded: ")
    assert f"partners.csv, line {line}: group:" in str(refused.value)
    for model in MODELS:
        assert not model.objects.exists(), model


def test_a_malformed_row_leaves_loaded_data_as_it_was(
    reference: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot()
    directory = _copy(tmp_path)
    _edit(directory, "states.csv", _line_of("states.csv", "AT"), "Austria", "Republic of Austria")
    _edit(directory, "chairpersonships.csv", _line_of("chairpersonships.csv", "2026"), "2026", "20x6")
    monkeypatch.setattr(states_reference, "REFERENCE_DIR", directory)

    with pytest.raises(CommandError, match=r"chairpersonships\.csv, line 37: year: '20x6' is not a year"):
        call_command("load_reference_data", stdout=io.StringIO())

    assert _snapshot() == before


def test_a_missing_column_is_named(tmp_path: Path, db: None) -> None:
    directory = _copy(tmp_path)
    _edit(directory, "states.csv", 1, "joined_precision,", "precision,")
    with pytest.raises(
        ReferenceDataError, match=r"states\.csv, line 1: missing column\(s\) joined_precision"
    ):
        states_reference.load(directory)


def test_a_missing_file_is_named(tmp_path: Path, db: None) -> None:
    directory = _copy(tmp_path)
    (directory / "bodies.csv").unlink()
    with pytest.raises(ReferenceDataError, match=r"bodies\.csv: file not found"):
        states_reference.load(directory)
    assert not State.objects.exists()


def test_dates_known_to_the_month_or_year(tmp_path: Path, db: None) -> None:
    directory = _copy(tmp_path)
    line = _line_of("states.csv", "AD")
    _edit(directory, "states.csv", line, "1996-04-25,day", "1996-04,month")
    states_reference.load(directory)
    andorra = State.objects.get(code="AD")
    assert (andorra.joined, andorra.joined_precision) == (datetime.date(1996, 4, 1), "month")


def test_the_project_carries_its_own_copy() -> None:
    """The loader reads the app's own files, never ../shared (a user's clone has none)."""
    assert Path(states_reference.__file__).resolve().parent / "reference" == SHIPPED
    for name in (
        "states.csv",
        "partners.csv",
        "dimensions.csv",
        "topics.csv",
        "bodies.csv",
        "chairpersonships.csv",
    ):
        assert (SHIPPED / name).is_file()
