"""The missions app's part of ``load_reference_data``: every field operation, current and closed.

Facts come from ``missions/reference/field_operations.csv`` (the project's own copy). The load is
idempotent: an operation is keyed by its slug, changed facts are updated, and predecessors are
linked only once every row exists. Host States and dimensions must already be loaded (the States
loader runs first); a malformed row raises :class:`core.reference.ReferenceDataError` naming the file
and line, and the caller's transaction then loads nothing.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from core.models import DatePrecision
from core.reference import ReferenceDataError, read_csv
from missions.models import FieldOperation
from states.models import Dimension, State

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
FILE_NAME = "field_operations.csv"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^[A-Z]{3}$")
_DECISION = re.compile(r"^[A-Za-z0-9().]+(?:\.[A-Z]+)?/[0-9]+(?:/[0-9]+)?$")
_REQUIRED = ("slug", "name", "kind", "region", "established")


_PLACE = re.compile(r"\b(?:in|to|at|for)\s+(?:the\s+)?(.+)$", re.IGNORECASE)


def derive_code(name: str, taken: set[str]) -> str:
    """A three-letter code from an operation's name, unique among ``taken``.

    The place the operation works in gives it: the initials of a place of three or more words
    (Bosnia and Herzegovina → ``BAH``), else the place's first letters (Kosovo → ``KOS``). On a
    clash, other letters of the place are tried, then the name's initials with a letter of the alphabet.
    """
    match = _PLACE.search(name)
    place = match.group(1) if match else name
    words = [word for word in re.split(r"[^A-Za-z]+", place) if word]
    letters = "".join(words).upper() or "OPS"
    candidates = []
    if len(words) >= 3:
        candidates.append("".join(word[0] for word in words[:3]).upper())
    candidates.append(letters[:3].ljust(3, "X"))
    first = letters[0]
    candidates += [first + a + b for index, a in enumerate(letters[1:], 1) for b in letters[index + 1 :]]
    candidates += [letters[:2].ljust(2, "X") + chr(c) for c in range(ord("A"), ord("Z") + 1)]
    candidates += [first + chr(a) + chr(b) for a in range(65, 91) for b in range(65, 91)]
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    raise ReferenceDataError(f"no free code for {name!r}")  # pragma: no cover - 676 codes per first letter


def _date(value: str, where: str, column: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ReferenceDataError(f"{where}: {column} {value!r} is not a date (YYYY-MM-DD)") from None


def _precision(value: str, where: str, column: str) -> str:
    value = value or DatePrecision.DAY
    if value not in DatePrecision.values:
        raise ReferenceDataError(
            f"{where}: {column} {value!r} is not one of {', '.join(DatePrecision.values)}"
        )
    return value


def _parse(where: str, row: dict[str, str], states: dict[str, Any], dimensions: dict[str, Any]) -> dict:
    """One row's facts, checked; raises ReferenceDataError naming ``where`` (file:line)."""
    for column in _REQUIRED:
        if not row.get(column):
            raise ReferenceDataError(f"{where}: {column} is missing")
    slug = row["slug"]
    if not _SLUG.match(slug):
        raise ReferenceDataError(f"{where}: slug {slug!r} is not a lower-case slug")
    if row.get("code") and not _CODE.match(row["code"]):
        raise ReferenceDataError(f"{where}: code {row['code']!r} is not three capital letters")
    if row["kind"] not in FieldOperation.Kind.values:
        raise ReferenceDataError(f"{where}: kind {row['kind']!r} is unknown")
    if row["region"] not in FieldOperation.Region.values:
        raise ReferenceDataError(f"{where}: region {row['region']!r} is unknown")
    host_state = None
    if row.get("host_state"):
        host_state = states.get(row["host_state"])
        if host_state is None:
            raise ReferenceDataError(
                f"{where}: host_state {row['host_state']!r} is not a loaded State (load the States first)"
            )
    established = _date(row["established"], where, "established")
    established_precision = _precision(row.get("established_precision", ""), where, "established_precision")
    closed = None
    closed_precision = ""
    if row.get("closed"):
        closed = _date(row["closed"], where, "closed")
        closed_precision = _precision(row.get("closed_precision", ""), where, "closed_precision")
        if closed <= established:
            raise ReferenceDataError(f"{where}: closed {closed} is not after established {established}")
    elif row.get("closed_precision"):
        raise ReferenceDataError(f"{where}: closed_precision given without a closed date")
    decisions = [item.strip() for item in row.get("decisions", "").split(";") if item.strip()]
    for decision in decisions:
        if not _DECISION.match(decision):
            raise ReferenceDataError(f"{where}: decision {decision!r} is not a reference such as PC.DEC/160")
    dimension_slugs = [item.strip() for item in (row.get("dimensions") or "").split(";") if item.strip()]
    for dimension in dimension_slugs:
        if dimension not in dimensions:
            raise ReferenceDataError(f"{where}: dimension {dimension!r} is not a loaded dimension")
    return {
        "slug": slug,
        "predecessor": row.get("predecessor", ""),
        # None: the file has no dimensions column, so the operation's dimensions stay as they are.
        "dimensions": sorted(dimension_slugs) if "dimensions" in row else None,
        "fields": {
            "name": row["name"],
            "code": row.get("code", ""),
            "kind": row["kind"],
            "region": row["region"],
            "host_state": host_state,
            "location": row.get("location", ""),
            "established": established,
            "established_precision": established_precision,
            "closed": closed,
            "closed_precision": closed_precision,
            "decisions": decisions,
            "note": row.get("note", ""),
            "source": row.get("source", "")[:200],
        },
    }


def load(directory: Path | str | None = None) -> list[str]:
    """Load or update every field operation from ``directory/field_operations.csv``.

    Returns summary lines. Raises ReferenceDataError (file and line) on a malformed row, an unknown host
    State or dimension, a duplicate slug or code, or a predecessor that is not in the file.
    """
    path = Path(directory or REFERENCE_DIR) / FILE_NAME
    if not path.exists():
        raise ReferenceDataError(f"{path}: file not found")
    states = {state.code: state for state in State.objects.all()}
    dimensions = {dimension.slug: dimension for dimension in Dimension.objects.all()}

    parsed: list[tuple[str, dict]] = []
    seen_slugs: dict[str, str] = {}
    seen_codes: dict[str, str] = {}
    for line, row in read_csv(path):
        where = f"{path.name}:{line}"
        item = _parse(where, row, states, dimensions)
        if item["slug"] in seen_slugs:
            raise ReferenceDataError(f"{where}: slug {item['slug']!r} repeats {seen_slugs[item['slug']]}")
        code = item["fields"]["code"]
        if code and code in seen_codes:
            raise ReferenceDataError(f"{where}: code {code!r} repeats {seen_codes[code]}")
        seen_slugs[item["slug"]] = where
        if code:
            seen_codes[code] = where
        parsed.append((where, item))
    for where, item in parsed:
        if item["predecessor"] and item["predecessor"] not in seen_slugs:
            raise ReferenceDataError(
                f"{where}: predecessor {item['predecessor']!r} is not an operation of the file"
            )
        if item["predecessor"] == item["slug"]:
            raise ReferenceDataError(f"{where}: an operation cannot be its own predecessor")

    existing = {
        operation.slug: operation for operation in FieldOperation.objects.prefetch_related("dimensions")
    }
    # A row without a code keeps the operation's code, or gets one derived from its name.
    taken = set(seen_codes) | set(
        FieldOperation.objects.exclude(slug__in=seen_slugs).exclude(code="").values_list("code", flat=True)
    )
    for where, item in parsed:
        if item["fields"]["code"]:
            continue
        current = existing[item["slug"]].code if item["slug"] in existing else ""
        code = current if current and current not in taken else derive_code(item["fields"]["name"], taken)
        item["fields"]["code"] = code
        taken.add(code)
        seen_codes[code] = where
    # A code kept by an operation outside the file would collide with the unique constraint.
    clashes = (
        FieldOperation.objects.exclude(slug__in=seen_slugs)
        .filter(code__in=seen_codes)
        .values_list("code", "slug")
    )
    for code, slug in clashes:
        raise ReferenceDataError(f"{seen_codes[code]}: code {code!r} is already used by operation {slug!r}")

    created = updated = 0
    operations: dict[str, FieldOperation] = {}
    # Free the codes first, so two operations can swap codes within one load.
    changing_codes = [
        slug
        for _where, item in parsed
        if (slug := item["slug"]) in existing and existing[slug].code != item["fields"]["code"]
    ]
    if changing_codes:
        FieldOperation.objects.filter(slug__in=changing_codes).update(code="")
    for _where, item in parsed:
        slug = item["slug"]
        fields = item["fields"]
        operation = existing.get(slug)
        if operation is None:
            operation = FieldOperation.objects.create(slug=slug, **fields)
            created += 1
            changed = True
        else:
            changed = slug in changing_codes or any(
                getattr(operation, name) != value for name, value in fields.items()
            )
            if changed:
                for name, value in fields.items():
                    setattr(operation, name, value)
                operation.save()
                updated += 1
        before = (
            sorted(dimension.slug for dimension in operation.dimensions.all()) if slug in existing else []
        )
        if item["dimensions"] is not None and before != item["dimensions"]:
            operation.dimensions.set([dimensions[dimension] for dimension in item["dimensions"]])
            if not changed:
                updated += 1
        operations[slug] = operation

    # Predecessors last, once every operation exists. A predecessor is one-to-one: unlink those that
    # change before linking, so a re-pointed chain never collides with itself.
    relinks = []
    for _where, item in parsed:
        operation = operations[item["slug"]]
        wanted = operations[item["predecessor"]].pk if item["predecessor"] else None
        if operation.predecessor_id != wanted:
            relinks.append((operation, wanted))
    if relinks:
        FieldOperation.objects.filter(pk__in=[operation.pk for operation, _ in relinks]).update(
            predecessor=None
        )
        for operation, wanted in relinks:
            operation.predecessor_id = wanted
            operation.save(update_fields=["predecessor"])
    return [
        f"field operations: {len(parsed)} in {path.name} ({created} new, {updated} updated, "
        f"{len(relinks)} predecessor links set)"
    ]
