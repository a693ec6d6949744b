"""The API's own formats: the JSON and CSV renderers and the JSON parser named in ``REST_FRAMEWORK``.

Apart from ``core.api`` so that DRF can import them while it builds ``APIView`` (which reads the
renderer and parser settings when ``rest_framework.views`` is first imported) without a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, renderers
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.utils import encoders

from core.exports import csv_lines


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, the same bytes, encoded by orjson (a list page of 50 vacancies: about a tenth
    of the time of ``json.dumps`` with DRF's encoder).

    What orjson writes otherwise than DRF goes to DRF's encoder (``default``): dates and times
    (DRF writes UTC as ``Z``), decimals, lazy translations. DRF's escapes of U+2028 and U+2029 are
    kept. Anything orjson refuses (an integer beyond 64 bits, a key that is not a string) and an
    indented answer (``Accept: application/json; indent=4``) are encoded by DRF's renderer itself.
    One difference is left: a float NaN or infinity (no field of the portal holds one) is written
    ``null``, where DRF's strict JSON raises (a 500).
    """

    _OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        plain = self.compact and not self.ensure_ascii
        if plain and self.get_indent(accepted_media_type or "", renderer_context or {}) is None:
            try:
                encoded = orjson.dumps(data, default=encoders.JSONEncoder().default, option=self._OPTIONS)
            except orjson.JSONEncodeError:
                pass
            else:
                if b"\xe2\x80\xa8" in encoded or b"\xe2\x80\xa9" in encoded:
                    encoded = encoded.replace(b"\xe2\x80\xa8", b"\\u2028").replace(
                        b"\xe2\x80\xa9", b"\\u2029"
                    )
                return encoded
        return super().render(data, accepted_media_type, renderer_context)


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
