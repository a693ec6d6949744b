"""The states app's part of ``load_reference_data``: the organisation's facts, from ``states/reference/``.

``load()`` reads every file first and refuses the whole set on the first malformed row
(``core.reference.ReferenceDataError`` naming the file and its line), then creates what is missing and
updates what changed, keyed by the natural key of each file (code, slug, year). Running it twice is
the same as running it once: the second run writes nothing. Rows that are no longer in the files are
left alone (other data may point at them); the summary says how many there are.

Facts come with their sources (``source`` column, keys explained in ``reference/sources.md``).
No people ship with the project: a permanent mission (``Delegation``) is created, empty, for each
State participating today; its diplomats are entered by their administrations.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import DatePrecision
from core.reference import ReferenceDataError, read_csv
from states.models import Body, Chairpersonship, Delegation, Dimension, Partner, State, Topic

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$")
_YEAR = re.compile(r"^(\d{4})(?:-01-01)?$")
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


@dataclass
class _Row:
    """One parsed line of a reference file: the values of its model's fields."""

    line: int
    values: dict[str, Any]


@dataclass
class _File:
    """A reference file being read: names it and its lines in every refusal."""

    path: Path
    label: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def fail(self, line: int, message: str) -> ReferenceDataError:
        return ReferenceDataError(f"{self.label}, line {line}: {message}")


def _open(directory: Path, name: str, columns: Iterable[str]) -> _File:
    path = directory / name
    label = _label(path)
    if not path.is_file():
        raise ReferenceDataError(f"{label}: file not found")
    reference = _File(path=path, label=label)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            header = [column.strip() for column in handle.readline().strip("\r\n").split(",")]
        missing = [column for column in columns if column not in header]
        if missing:
            raise reference.fail(1, "missing column(s) " + ", ".join(missing))
        reference.rows = list(read_csv(path))
    except UnicodeDecodeError as error:
        raise ReferenceDataError(f"{label}: not UTF-8 ({error.reason})") from None
    return reference


def _label(path: Path) -> str:
    """The file as people will look for it: relative to the project when it is the shipped copy."""
    try:
        return str(path.relative_to(REFERENCE_DIR.parent.parent))
    except ValueError:
        return str(path)


def _date(file: _File, line: int, column: str, value: str, precision: str) -> datetime.date:
    """A date written to its precision: ``1996-04-25`` (day), ``1996-04`` (month), ``1996`` (year)."""
    try:
        if precision == DatePrecision.DAY:
            if not _DAY.match(value):
                raise ValueError
            return datetime.date.fromisoformat(value)
        if precision == DatePrecision.MONTH:
            match = _MONTH.match(value)
            if not match:
                raise ValueError
            return datetime.date(int(match[1]), int(match[2]), 1)
        match = _YEAR.match(value)
        if not match:
            raise ValueError
        return datetime.date(int(match[1]), 1, 1)
    except ValueError:
        shapes = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}
        raise file.fail(
            line, f"{column}: {value!r} is not a date to the {precision} ({shapes[precision]})"
        ) from None


def _precision(file: _File, line: int, column: str, value: str) -> str:
    if not value:
        return DatePrecision.DAY
    if value not in DatePrecision.values:
        raise file.fail(line, f"{column}: {value!r} is not one of {', '.join(DatePrecision.values)}")
    return value


def _year(file: _File, line: int, column: str, value: str, *, required: bool = True) -> int | None:
    if not value and not required:
        return None
    if not value.isdigit() or not _FIRST_YEAR <= int(value) <= _LAST_YEAR:
        raise file.fail(line, f"{column}: {value!r} is not a year")
    return int(value)


def _required(file: _File, line: int, row: dict[str, str], *columns: str) -> None:
    for column in columns:
        if not row.get(column):
            raise file.fail(line, f"{column}: a value is required")


def _unique(file: _File, rows: list[_Row], key: str) -> None:
    seen: dict[Any, int] = {}
    for row in rows:
        value = row.values[key]
        if value in seen:
            raise file.fail(row.line, f"{key} {value!r} already given on line {seen[value]}")
        seen[value] = row.line


@dataclass
class _Outcome:
    total: int = 0
    created: int = 0
    updated: int = 0
    elsewhere: int = 0

    def summary(self, label: str) -> str:
        line = (
            f"{label}: {self.total} in the reference "
            f"({self.created} created, {self.updated} updated, "
            f"{self.total - self.created - self.updated} unchanged)"
        )
        if self.elsewhere:
            line += f"; {self.elsewhere} more in the database, not in the reference (kept)"
        return line


def _sync(
    file: _File,
    model: type[models.Model],
    key: str,
    rows: list[_Row],
    *,
    not_validated: tuple[str, ...] = (),
) -> _Outcome:
    """Create the missing rows of ``model`` and update the changed ones, keyed by ``key``.

    Each row is validated as the model would be (``full_clean``: lengths, choices, check
    constraints) before anything is written; foreign keys in ``not_validated`` are checked by the
    caller against the reference itself, which avoids a query per row.
    """
    _unique(file, rows, key)
    manager = model._default_manager
    existing = {getattr(obj, key): obj for obj in manager.all()}
    outcome = _Outcome(total=len(rows))
    to_create: list[models.Model] = []
    to_update: list[tuple[models.Model, list[str]]] = []
    for row in rows:
        obj = existing.get(row.values[key])
        if obj is None:
            obj = model(**row.values)
            changed: list[str] = []
        else:
            changed = [name for name, value in row.values.items() if getattr(obj, name) != value]
            if not changed:
                continue
            for name in changed:
                setattr(obj, name, row.values[name])
        try:
            obj.full_clean(exclude=list(not_validated), validate_unique=False)
        except ValidationError as error:
            messages = "; ".join(
                f"{name}: {' '.join(str(message) for message in errors)}"
                for name, errors in error.message_dict.items()
            )
            raise file.fail(row.line, messages) from None
        if changed:
            to_update.append((obj, changed))
        else:
            to_create.append(obj)
    manager.bulk_create(to_create)
    for obj, changed in to_update:
        obj.save(update_fields=[model._meta.get_field(name).name for name in changed])
        audit_record(actor=None, action="reference.updated", target=obj, data={"fields": sorted(changed)})
    outcome.created = len(to_create)
    outcome.updated = len(to_update)
    keys = {row.values[key] for row in rows}
    outcome.elsewhere = sum(1 for value in existing if value not in keys)
    return outcome


def _dimensions(directory: Path) -> tuple[_File, list[_Row]]:
    file = _open(directory, "dimensions.csv", ("slug", "name", "order"))
    rows = []
    for line, row in file.rows:
        _required(file, line, row, "slug", "name", "order")
        if not row["order"].isdigit():
            raise file.fail(line, f"order: {row['order']!r} is not a whole number")
        rows.append(_Row(line, {"slug": row["slug"], "name": row["name"], "order": int(row["order"])}))
    return file, rows


def _topics(directory: Path, dimensions: set[str]) -> tuple[_File, list[_Row]]:
    file = _open(directory, "topics.csv", ("dimension", "slug", "name"))
    rows = []
    for line, row in file.rows:
        _required(file, line, row, "dimension", "slug", "name")
        if row["dimension"] not in dimensions:
            raise file.fail(line, f"dimension: {row['dimension']!r} is not a dimension of dimensions.csv")
        rows.append(_Row(line, {"slug": row["slug"], "name": row["name"], "dimension_id": row["dimension"]}))
    return file, rows


def _states(directory: Path) -> tuple[_File, list[_Row]]:
    file = _open(
        directory, "states.csv", ("code", "name", "iso_alpha3", "joined", "joined_precision", "left")
    )
    rows = []
    for line, row in file.rows:
        _required(file, line, row, "code", "name", "iso_alpha3", "joined")
        precision = _precision(file, line, "joined_precision", row["joined_precision"])
        joined = _date(file, line, "joined", row["joined"], precision)
        left = _date(file, line, "left", row["left"], DatePrecision.DAY) if row["left"] else None
        if left is not None and left <= joined:
            raise file.fail(line, f"left: {left} is not after joined ({joined})")
        rows.append(
            _Row(
                line,
                {
                    "code": row["code"],
                    "name": row["name"],
                    "iso_alpha3": row["iso_alpha3"],
                    "joined": joined,
                    "joined_precision": precision,
                    "left": left,
                    "successor_id": row.get("successor") or None,
                    "note": row.get("note", ""),
                    "source": row.get("source", ""),
                },
            )
        )
    codes = {row.values["code"] for row in rows}
    for parsed in rows:
        successor = parsed.values["successor_id"]
        if successor is not None and (successor not in codes or successor == parsed.values["code"]):
            raise file.fail(parsed.line, f"successor: {successor!r} is not another State of states.csv")
    return file, rows


def _partners(directory: Path) -> tuple[_File, list[_Row]]:
    file = _open(directory, "partners.csv", ("code", "name", "group", "since"))
    rows = []
    for line, row in file.rows:
        _required(file, line, row, "code", "name", "group", "since")
        rows.append(
            _Row(
                line,
                {
                    "code": row["code"],
                    "name": row["name"],
                    "group": row["group"],
                    "since": _year(file, line, "since", row["since"]),
                    "note": row.get("note", ""),
                    "source": row.get("source", ""),
                },
            )
        )
    return file, rows


def _bodies(directory: Path) -> tuple[_File, list[_Row]]:
    file = _open(directory, "bodies.csv", ("slug", "name", "kind", "seat"))
    rows = []
    for line, row in file.rows:
        _required(file, line, row, "slug", "name", "kind")
        rows.append(
            _Row(
                line,
                {
                    "slug": row["slug"],
                    "name": row["name"],
                    "kind": row["kind"],
                    "seat": row["seat"],
                    "established": _year(
                        file, line, "established", row.get("established", ""), required=False
                    ),
                    "note": row.get("note", ""),
                    "source": row.get("source", ""),
                },
            )
        )
    return file, rows


def _chairpersonships(directory: Path, states: set[str]) -> tuple[_File, list[_Row]]:
    file = _open(directory, "chairpersonships.csv", ("year", "state"))
    rows = []
    for line, row in file.rows:
        _required(file, line, row, "year", "state")
        if row["state"] not in states:
            raise file.fail(line, f"state: {row['state']!r} is not a State of states.csv")
        rows.append(
            _Row(
                line,
                {
                    "year": _year(file, line, "year", row["year"]),
                    "state_id": row["state"],
                    "source": row.get("source", ""),
                },
            )
        )
    return file, rows


def _delegations(today: datetime.date) -> str:
    """An empty permanent mission for every State participating today that has none yet."""
    have = set(Delegation.objects.values_list("state_id", flat=True))
    missing = [
        code for code in State.objects.participating(today).values_list("code", flat=True) if code not in have
    ]
    Delegation.objects.bulk_create([Delegation(state_id=code) for code in missing])
    return f"permanent missions: {len(have) + len(missing)} ({len(missing)} created, empty)"


@transaction.atomic
def load(directory: Path | str | None = None) -> list[str]:
    """Load or update the organisation's reference facts; return one summary line per kind.

    Reads ``directory`` (default: the shipped ``states/reference/``). Every file is parsed and
    checked before the first write, and the whole load is one transaction, so a malformed row
    (raised as ``ReferenceDataError`` with its file and line) leaves the database as it was. Writes an
    audit entry for each fact that changed.
    """
    directory = Path(directory) if directory is not None else REFERENCE_DIR

    dimension_file, dimensions = _dimensions(directory)
    topic_file, topics = _topics(directory, {row.values["slug"] for row in dimensions})
    state_file, states = _states(directory)
    partner_file, partners = _partners(directory)
    body_file, bodies = _bodies(directory)
    chair_file, chairs = _chairpersonships(directory, {row.values["code"] for row in states})

    return [
        _sync(dimension_file, Dimension, "slug", dimensions).summary("dimensions"),
        _sync(topic_file, Topic, "slug", topics, not_validated=("dimension",)).summary("topics"),
        _sync(state_file, State, "code", states, not_validated=("successor",)).summary(
            "participating States"
        ),
        _sync(partner_file, Partner, "code", partners).summary("Partners for Co-operation"),
        _sync(body_file, Body, "slug", bodies).summary("bodies and institutions"),
        _sync(chair_file, Chairpersonship, "year", chairs, not_validated=("state",)).summary(
            "chairpersonships"
        ),
        _delegations(timezone.localdate()),
    ]
