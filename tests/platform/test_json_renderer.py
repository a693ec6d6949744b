"""The API's JSON renderer (``core.formats.JSONRenderer``): orjson, writing DRF's very bytes."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from core.formats import JSONRenderer

SAMPLES: list[Any] = [
    {"count": 2, "next": None, "results": [{"reference": "VNAT0001", "posts": 1, "open": True}]},
    {"when": datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)},  # DRF writes Z
    {
        "when": datetime.datetime(
            2026, 11, 30, 10, 0, 0, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
        )
    },
    {"day": datetime.date(2026, 11, 30), "at": datetime.time(9, 30)},
    {"budget": decimal.Decimal("1234.50"), "id": uuid.UUID(int=7), "ratio": 0.1},
    {"label": gettext_lazy("Status"), "names": ["Österreich", "Россия", "日本"]},
    {"separator": "a\u2028b\u2029c", "quote": 'say "hi"\n'},
    {"huge": 2**70},  # beyond orjson: DRF's encoder writes it
    [],
    "plain",
]


@pytest.mark.parametrize("data", SAMPLES)
def test_the_same_bytes_as_drf(data: Any) -> None:
    assert JSONRenderer().render(data) == DRFJSONRenderer().render(data)


def test_indented_as_drf() -> None:
    data = {"a": [1, {"b": None}]}
    media = "application/json; indent=4"
    assert JSONRenderer().render(data, media) == DRFJSONRenderer().render(data, media)
    assert b"\n    " in JSONRenderer().render(data, media)


def test_nothing_is_empty() -> None:
    assert JSONRenderer().render(None) == b""


def test_the_api_answers_through_it(db: None, client: Any) -> None:
    answer = client.get("/api/v1/states/?page_size=2")
    assert answer.status_code == 200
    assert answer.content == DRFJSONRenderer().render(answer.json())
