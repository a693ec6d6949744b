"""The vacancy list without per-field framework work: plain dicts from ``.values()`` rows.

``VacancySerializer`` stays the one definition of a vacancy's shape (validation, the schema, the
detail and every write's answer); ``vacancy_rows`` answers the very same fields for the hot list
(a test compares them field by field). The list's statement reads the vacancy table alone: the
field operation's and the body's slugs come from per-process caches kept fresh by the tables'
versions (``core.versions``); a dimension's and a field of expertise's key is their slug.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from core.versions import ReferenceCache, request_versions
from missions.models import FieldOperation
from secondments.api.serializers import VacancySerializer
from secondments.models import VIENNA, Vacancy
from states.models import Body

# The serializer's fields, in its order.
FIELDS: tuple[str, ...] = tuple(VacancySerializer.Meta.fields)

# The columns the list reads (the vacancy table only): each field's, a relation's key for a
# relation; ``url`` comes from the reference.
RELATIONS = ("field_operation", "body", "dimension", "field_of_expertise")
COLUMNS = tuple(f"{name}_id" if name in RELATIONS else name for name in FIELDS if name != "url")

OPERATION_SLUGS: ReferenceCache[dict[int, str]] = ReferenceCache(
    FieldOperation, lambda: dict(FieldOperation.objects.values_list("pk", "slug"))
)
BODY_SLUGS: ReferenceCache[dict[int, str]] = ReferenceCache(
    Body, lambda: dict(Body.objects.values_list("pk", "slug"))
)

_DATE = serializers.DateField()


def _iso_time(moment: datetime.datetime, zone: datetime.tzinfo) -> str:
    """What DRF's ``DateTimeField`` answers for an aware time (ISO 8601 in the current time zone,
    ``Z`` for UTC), without its per-call settings lookups (a third of the rows' time)."""
    text = moment.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _url_prefix(request: Any) -> tuple[str, str]:
    """The detail URL up to the reference (references are letters and digits: nothing to quote)."""
    sample = request.build_absolute_uri(reverse("api:vacancy-detail", kwargs={"reference": "X"}))
    return sample[: sample.rindex("X")], sample[sample.rindex("X") + 1 :]


def vacancy_rows(
    rows: Iterable[dict[str, Any]], *, request: Any, fields: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """``VacancySerializer(many=True).data`` for ``rows`` (``.values(*COLUMNS)``), keeping only
    ``fields`` (in the serializer's order) when given."""
    versions = request_versions(request)
    operations = OPERATION_SLUGS.get(versions)
    bodies = BODY_SLUGS.get(versions)
    prefix, suffix = _url_prefix(request)
    vienna_today = timezone.now().astimezone(VIENNA).date()
    zone = timezone.get_current_timezone()
    wanted = FIELDS if fields is None else tuple(name for name in FIELDS if name in fields)
    result = []
    for row in rows:
        operation_id, body_id, published = row["field_operation_id"], row["body_id"], row["published"]
        full = {
            "url": f"{prefix}{row['reference']}{suffix}",
            "reference": row["reference"],
            "title": row["title"],
            "field_operation": operations.get(operation_id) if operation_id is not None else None,
            "body": bodies.get(body_id) if body_id is not None else None,
            "duty_station": row["duty_station"],
            "appointment": row["appointment"],
            "grade": row["grade"],
            "dimension": row["dimension_id"],
            "posts": row["posts"],
            "deadline": _DATE.to_representation(row["deadline"]),
            "status": Vacancy.status_on(row["status"], row["deadline"], vienna_today),
            "published": _iso_time(published, zone) if published is not None else None,
            "description": row["description"],
            "tasks": row["tasks"],
            "requirements": row["requirements"],
            "remuneration": row["remuneration"],
            "open_to_partners": row["open_to_partners"],
            "notice_language": row["notice_language"],
            "languages": list(row["languages"]),
            "field_of_expertise": row["field_of_expertise_id"],
            "updated": _iso_time(row["updated"], zone),
        }
        result.append(full if fields is None else {name: full[name] for name in wanted})
    return result
