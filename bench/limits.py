"""The two limits, served by granian like the portal: ``bench.limits:application``.

- ``/l0/<target>``: a bare Django view (no middleware, no database) returning the very bytes, status
  and content type the portal answered for that target.
- ``/l1/<target>``: the very SQL statements the portal ran for one such request, run raw on a
  persistent psycopg2 connection (one per thread, as Django keeps them), every row encoded with
  orjson. Statements that write run in a transaction rolled back at the end, so they can repeat.

Reads the targets from the JSON file named by ``BENCH_LIMITS`` and connects to ``DATABASE_URL``.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from typing import Any

import django
import orjson
import psycopg2
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-limits",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
        DATABASES={},
    )
    django.setup()

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.urls import path

from bench.capture import is_write


def _load() -> dict[str, dict[str, Any]]:
    name = os.environ.get("BENCH_LIMITS")
    if not name:
        return {}
    with open(name) as handle:
        return json.load(handle)["targets"]


TARGETS = _load()
BODIES = {
    name: (
        target.get("status", 200),
        base64.b64decode(target.get("body_b64", "")),
        target.get("content_type", ""),
        target.get("etag", ""),
    )
    for name, target in TARGETS.items()
}
STATEMENTS = {name: list(target.get("statements", [])) for name, target in TARGETS.items()}
_local = threading.local()


def _connection() -> Any:
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        connection = psycopg2.connect(os.environ["DATABASE_URL"])
        connection.autocommit = True
        _local.connection = connection
    return connection


def l0(request: HttpRequest, name: str) -> HttpResponse:
    status, body, content_type, etag = BODIES[name]
    response = HttpResponse(body, status=status, content_type=content_type or None)
    if etag:
        response["ETag"] = etag
    return response


def run_statements(connection: Any, statements: list[str]) -> bytes:
    """Run ``statements`` raw; every result's rows encoded with orjson. Writes are rolled back."""
    writes = any(is_write(sql) for sql in statements)
    results = []
    if writes:
        connection.autocommit = False
    try:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    results.append(cursor.fetchall())
    finally:
        if writes:
            connection.rollback()
            connection.autocommit = True
    return orjson.dumps(results, default=str)


def l1(request: HttpRequest, name: str) -> HttpResponse:
    return HttpResponse(run_statements(_connection(), STATEMENTS[name]), content_type="application/json")


def ready(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


urlpatterns = [path("l0/<str:name>", l0), path("l1/<str:name>", l1), path("ready", ready)]
application = WSGIHandler()
