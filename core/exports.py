"""Streamed exports: every list, page or API, as CSV; the same rows as JSON for the open-data dumps.

One way to read rows and one way to write them:

- ``rows(queryset)`` walks a queryset with a server-side cursor (``.iterator(chunk_size=...)``), so
  100,000 rows never sit in memory; prefetches run once per chunk, not per row. Behind PgBouncer in
  transaction pooling (``DB_DISABLE_SERVER_SIDE_CURSORS``) there is no server-side cursor: the rows
  are then read in ordered slices of the same size, still bounded.
- ``serialized(serializer, queryset)`` turns each row into the dict a serializer makes of it (the
  API's own representation: the same fields, the same visibility).
- ``csv_columns``/``csv_lines`` write those dicts through ``csv.writer``: one header row of field
  names, a nested object's fields as ``parent.child`` columns, lists and free-form objects as JSON
  text, and every text cell that a spreadsheet would run as a formula (``= + - @``, tab, carriage
  return first) prefixed with ``'`` (OWASP's CSV injection advice).
- ``json_record`` writes one as JSON (the open-data dumps, ``core.opendata``).
- ``csv_response`` streams them (``StreamingHttpResponse``) with a file name.

Pages use ``CSVExportMixin`` (``core.pages.FilteredListView`` has it); the API streams through
``core.api.Pagination`` when the CSV renderer was chosen.
"""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

CHUNK_SIZE = 2000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def rows(queryset: QuerySet[Any], chunk_size: int = CHUNK_SIZE) -> Iterator[Model]:
    """Every row of ``queryset``, read ``chunk_size`` at a time (never all at once)."""
    if not queryset.ordered:
        queryset = queryset.order_by("pk")
    if not connections[queryset.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        yield from queryset.iterator(chunk_size=chunk_size)
        return
    # No server-side cursor (PgBouncer): ordered slices, so memory stays bounded all the same.
    start = 0
    while True:
        chunk = list(queryset[start : start + chunk_size])
        yield from chunk
        if len(chunk) < chunk_size:
            return
        start += chunk_size


def serialized(serializer: serializers.BaseSerializer, queryset: QuerySet[Any]) -> Iterator[dict[str, Any]]:
    """The serializer's representation of each row of ``queryset``, one at a time."""
    for row in rows(queryset):
        yield serializer.to_representation(row)


def csv_columns(serializer: serializers.BaseSerializer) -> list[str]:
    """The header: the serializer's field names, a nested object's fields as ``parent.child``."""
    return [".".join(path) for path in _paths(serializer)]


def _nested(serializer: Any, field: Any) -> Any:
    """The serializer of one nested object, declared or (a method field) as the schema says it."""
    if isinstance(field, serializers.Serializer):
        return field
    if isinstance(field, serializers.SerializerMethodField):
        # drf-spectacular's @extend_schema_field(SomeSerializer): the shape the schema documents.
        method = getattr(serializer, field.method_name or f"get_{field.field_name}", None)
        declared = getattr(method, "_spectacular_annotation", None)
        if isinstance(declared, dict):  # newer drf-spectacular: {"field": ..., ...}
            declared = declared.get("field")
        if isinstance(declared, type) and issubclass(declared, serializers.Serializer):
            return declared()
        if isinstance(declared, serializers.Serializer) and not getattr(declared, "many", False):
            return declared
    return None


def _paths(serializer: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        nested = _nested(serializer, field)
        if nested is not None:  # one nested object (not a list): its fields as columns
            yield from _paths(nested, (*prefix, name))
        else:
            yield (*prefix, name)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return value


def _lookup(row: Mapping[str, Any], path: list[str]) -> Any:
    value: Any = row
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


class _Echo:
    """A file-like object that hands back what is written: ``csv.writer`` without a buffer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    columns: list[str], records: Iterable[Mapping[str, Any]], *, bom: bool = False
) -> Iterator[str]:
    """The CSV text, one line at a time: the header row, then one line per record."""
    writer = csv.writer(_Echo())
    paths = [column.split(".") for column in columns]
    yield (BOM if bom else "") + writer.writerow(columns)
    for record in records:
        yield writer.writerow([_cell(_lookup(record, path)) for path in paths])


def json_record(record: Any) -> str:
    """One record as JSON (DRF's encoder: dates, decimals, lazy strings)."""
    return json.dumps(record, cls=JSONEncoder, ensure_ascii=False)


def without_format(request: Any) -> Any:
    """A copy of ``request`` without its ``format`` parameter, for the serializer's context: DRF
    carries ``?format=`` over into every hyperlink it builds, and a row's ``url`` must be the
    object's address, not its address as CSV."""
    if "format" not in request.GET:
        return request
    django_request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    plain = copy.copy(django_request)
    plain.GET = django_request.GET.copy()
    plain.GET.pop("format")
    if django_request is request:
        return plain
    clone = copy.copy(request)
    clone._request = plain
    return clone


def export_filename(request: Any, extension: str = "csv") -> str:
    """``<last part of the address>-<today>.csv``: ``/api/v1/vacancies/`` gives
    ``vacancies-2026-11-30.csv``."""
    parts = [part for part in request.path.split("/") if part]
    name = parts[-1] if parts else "export"
    return f"{name}-{timezone.localdate().isoformat()}.{extension}"


def csv_response(
    *, columns: list[str], records: Iterable[Mapping[str, Any]], filename: str, bom: bool = False
) -> StreamingHttpResponse:
    """A streamed CSV download (``Content-Disposition: attachment``)."""
    response = StreamingHttpResponse(csv_lines(columns, records, bom=bom), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def serializer_csv_response(
    *,
    serializer: serializers.BaseSerializer,
    queryset: QuerySet[Any],
    request: Any,
    bom: bool = False,
) -> StreamingHttpResponse:
    """Every row of ``queryset`` in ``serializer``'s representation, streamed as CSV."""
    return csv_response(
        columns=csv_columns(serializer),
        records=serialized(serializer, queryset),
        filename=export_filename(request),
        bom=bom,
    )


class CSVExportMixin:
    """A list page that answers its rows, for the current filter, as CSV with ``?format=csv``.

    Columns are those of the resource's API serializer (``export_serializer_class``), so a page's
    CSV and the API's CSV of the same list agree; rows are the page's own queryset (its filter, its
    order, its visibility), every one of them (no pagination). ``export_queryset`` may add what the
    serializer reads that the page does not show (prefetches). Page downloads start with a UTF-8
    byte order mark, so that a spreadsheet reads accented and Cyrillic names right; API exports
    don't (a program reads the header row as field names).
    ``export_url`` in the context is the current address as CSV (the "Download CSV" link,
    ``includes/export_link.html``). A view whose ``get_queryset`` sets ``filter_invalid`` (a bad
    filter) shows its page with 400 instead, as without ``format``.
    """

    export_serializer_class: type[serializers.BaseSerializer] | None = None
    request: HttpRequest
    filter_invalid = False

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:  # HTML, or a streamed CSV
        if self.export_requested():
            queryset = self.get_queryset()  # type: ignore[attr-defined]
            if not self.filter_invalid:
                return self.export_response(queryset)
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def export_requested(self) -> bool:
        return self.export_serializer_class is not None and self.request.GET.get("format") == "csv"

    def export_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def get_export_serializer_context(self) -> dict[str, Any]:
        return {"request": without_format(self.request)}

    def export_response(self, queryset: QuerySet[Any]) -> HttpResponse | StreamingHttpResponse:
        assert self.export_serializer_class is not None
        serializer = self.export_serializer_class(context=self.get_export_serializer_context())
        return serializer_csv_response(
            serializer=serializer, queryset=self.export_queryset(queryset), request=self.request, bom=True
        )

    def export_url(self) -> str:
        query = self.request.GET.copy()
        for key in ("page", "format"):
            query.pop(key, None)
        query["format"] = "csv"
        return "?" + query.urlencode()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        if self.export_serializer_class is not None:
            context["export_url"] = self.export_url()
        return context
