"""The API's own formats: the CSV renderer and the JSON parser named in ``REST_FRAMEWORK``.

Apart from ``core.api`` so that DRF can import them while it builds ``APIView`` (which reads the
renderer and parser settings when ``rest_framework.views`` is first imported) without a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from core.exports import csv_lines


class CSVRenderer(BaseRenderer):
    """``text/csv``, chosen by ``?format=csv`` or ``Accept: text/csv`` on any endpoint.

    A list never gets here: ``Pagination`` streams every matching row instead of a page. What does
    (an object, an action's answer) is written as one row per object, its fields as columns.
    Errors are never CSV: ``exception_handler`` answers them as JSON.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        records = [
            record for record in (data if isinstance(data, list) else [data]) if isinstance(record, Mapping)
        ]
        columns = list(dict.fromkeys(name for record in records for name in record))
        return "".join(csv_lines(columns, records)).encode()


def csv_requested(request: Request) -> bool:
    """Whether content negotiation chose the CSV renderer for this request."""
    return getattr(getattr(request, "accepted_renderer", None), "format", None) == CSVRenderer.format


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a body nested deeper than Python's decoder goes (``[[[[…``) is a
    400 like any malformed JSON, not a RecursionError and a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error: the document is nested too deeply.")) from None
