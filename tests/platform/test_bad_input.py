"""Bad input everywhere: very long, SQL-ish, NUL-byte and Unicode-edge values, huge page numbers and
wrong types, sent to every filter, every form and every API list and create endpoint, answer 4xx (or
a normal answer), never 5xx, and a refused request stores nothing.

The targets are derived, not listed: every page of ``tests/platform/pages.py`` (the table that must
name every page), each with its view's FilterSet fields and every field of every form the page
shows; every route of the API router, with its FilterSet fields and its serializer's fields. A new
filter, form field or endpoint is covered without touching this file. (The API is also fuzzed from
its OpenAPI schema: tests/platform/test_schema_fuzz.py.)
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import resolve
from rest_framework.test import APIClient

from accounts.services import token_create
from osce_portal.api_urls import router
from tests.platform.pages import PAGES, portal_pages

pytestmark = pytest.mark.django_db

# Each value goes into every field, one value per request.
BAD_VALUES = [
    "x" * 5000,
    "' OR '1'='1' --",
    "1; DROP TABLE secondments_vacancy; --",
    "\x00",
    "a\x00b",
    "\u202e\u0000\ufeff",  # right-to-left override, NUL, byte-order mark
    "🏳️‍🌈" * 50,
    "ǅ\u0301\u0301\u0301",  # combining marks
    "-1",
    "99999999999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "[]",
    '{"a": 1}',
    "%",
    "\\",
]
# Raw query-string bytes that are not UTF-8, or a lone surrogate in UTF-8 form.
RAW_QUERY_VALUES = ["%ff%fe", "%ED%A0%80", "%00"]
PAGE_NUMBERS = ["99999999999999999999", "-1", "0", "abc", "1.5", "last", "\x00"]


def _row_counts() -> dict[str, int]:
    """Every table's row count, in one query."""
    models = [model for model in apps.get_models() if model._meta.managed and not model._meta.proxy]
    tables = sorted({model._meta.db_table for model in models})
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f'(SELECT count(*) FROM "{table}")' for table in tables))
        row = cursor.fetchone()
    return dict(zip(tables, row or (), strict=True))


def _assert_answer(response: Any, what: str, before: dict[str, int] | None = None) -> None:
    assert response.status_code < 500, f"{what}: HTTP {response.status_code}"
    if before is not None and 400 <= response.status_code < 500:
        after = _row_counts()
        changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
        assert not changed, f"{what}: refused ({response.status_code}) but stored {changed}"


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self._current: tuple[str, set[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._current = (attributes.get("action") or "", set())
            self.forms.append(self._current)
        elif self._current and tag in {"input", "select", "textarea", "button"}:
            name = attributes.get("name")
            if name and name != "csrfmiddlewaretoken":
                self._current[1].add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _client(who: str | None) -> Client:
    client = Client()
    if who is not None:
        client.force_login(get_user_model().objects.get(username=who))
    return client


@pytest.fixture
def portal(alice: Any, bob: Any, dave: Any) -> dict[str, Any]:
    return portal_pages(alice=alice, bob=bob, dave=dave)


def _ours(case: Any) -> bool:
    return bool(case.ours) and case.status == 200


def test_every_page_filter_and_page_number_takes_bad_values(portal: dict[str, Any]) -> None:
    filtered: set[tuple[Any, str | None]] = set()
    for case in filter(_ours, PAGES):
        path = urlsplit(case.address(portal)).path
        view = getattr(resolve(path).func, "view_class", None)
        client = _client(case.who)
        for value in PAGE_NUMBERS:
            _assert_answer(client.get(path, {"page": value}), f"{case.name} GET page={value!r}")
        for value in ("x" * 5000, "csv\x00", "%ff"):
            _assert_answer(client.get(path, {"format": value}), f"{case.name} GET format={value[:20]!r}")
        filterset = getattr(view, "filterset_class", None)
        if filterset is None or (view, case.who) in filtered:
            continue
        filtered.add((view, case.who))  # each list page's filters once per user
        for name in filterset.base_filters:
            for value in BAD_VALUES:
                _assert_answer(client.get(path, {name: value}), f"{case.name} GET {name}={value[:20]!r}")
            for raw in RAW_QUERY_VALUES:
                response = client.get(path, QUERY_STRING=f"{quote(name)}={raw}")
                _assert_answer(response, f"{case.name} GET {name}={raw}")
    assert len(filtered) >= 6  # the list pages with a FilterSet were found


def test_every_form_of_every_page_takes_bad_values_and_a_refusal_stores_nothing(
    portal: dict[str, Any],
) -> None:
    seen: set[tuple[str | None, str]] = set()
    for case in filter(_ours, PAGES):
        page = case.address(portal)
        parser = _Forms()
        parser.feed(_client(case.who).get(page).content.decode())
        for action, fields in parser.forms:
            target = urlsplit(action).path or urlsplit(page).path
            if target in {"/accounts/logout/"} or (case.who, target) in seen:
                continue
            seen.add((case.who, target))
            for value in BAD_VALUES:
                client = _client(case.who)  # a fresh session: a form may log in, switch language...
                before = _row_counts()
                response = client.post(target, dict.fromkeys(fields, value))
                _assert_answer(response, f"{case.name}: POST {target} {value[:20]!r}", before)
    assert len(seen) >= 15  # the forms were found


def _api_client(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        _token, raw = token_create(user=user, name="bad input")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_every_api_list_filter_and_create_takes_bad_values(
    portal: dict[str, Any], alice: Any, bob: Any
) -> None:
    olga = get_user_model().objects.get(username="olga")
    hr = _api_client(alice)
    writers = {"alice": hr, "bob": _api_client(bob), "olga": _api_client(olga)}
    routes = 0
    for prefix, viewset, _basename in router.registry:
        routes += 1
        url = f"/api/v1/{prefix}/"
        # Reads as HR, who sees every row (another caller may be refused before any filter runs).
        for value in PAGE_NUMBERS:
            for name in ("page", "page_size"):
                _assert_answer(hr.get(url, {name: value}), f"GET {url}?{name}={value!r}")
        filterset = getattr(viewset, "filterset_class", None)
        names = ["fields", "updated_since", *(filterset.base_filters if filterset is not None else ())]
        for name in names:
            for value in BAD_VALUES:
                _assert_answer(hr.get(url, {name: value}), f"GET {url}?{name}={value[:20]!r}")
            for raw in RAW_QUERY_VALUES:
                _assert_answer(hr.get(url, QUERY_STRING=f"{quote(name)}={raw}"), f"GET {url}?{name}={raw}")
        if "post" not in getattr(viewset, "http_method_names", ["post"]):
            continue
        serializer = getattr(viewset, "serializer_class", None)
        fields = list(serializer().fields) if serializer is not None else []
        for who, client in writers.items():
            for value in BAD_VALUES:
                for body in (dict.fromkeys(fields, value), {field: [value] for field in fields}):
                    before = _row_counts()
                    response = client.post(url, json.dumps(body), content_type="application/json")
                    _assert_answer(response, f"{who} POST {url} {value[:20]!r}", before)
            for raw in (b"\x00", b"{", b'{"a": "\\ud800"}', b"[" * 5000, b"\xff\xfe"):
                response = client.post(url, raw, content_type="application/json")
                _assert_answer(response, f"{who} POST {url} raw {raw[:10]!r}")
    assert routes >= 15  # the router's routes were found
