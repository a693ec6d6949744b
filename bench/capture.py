"""The SQL statements the portal runs for one request, captured through Django's execute wrapper
while the request is made in process through the portal's own WSGI application (the door of kept
answers included, as the server runs it; needs Django set up)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

from django.db import connection


@contextmanager
def statements() -> Iterator[list[str]]:
    """Collect each statement run on the default connection, as the very text sent to PostgreSQL
    (psycopg2 interpolates the parameters on the client: ``mogrify`` gives those bytes)."""
    captured: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        cursor = context["cursor"].cursor  # psycopg2's own cursor
        if many:
            captured.extend(cursor.mogrify(sql, one).decode() for one in params)
        else:
            captured.append(cursor.mogrify(sql, params).decode() if params is not None else sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield captured


@dataclass
class Answer:
    """A WSGI application's answer: status code, headers (in order, repeats kept) and body."""

    status_code: int
    headers: list[tuple[str, str]]
    content: bytes

    def __getitem__(self, name: str) -> str:
        return next(value for key, value in self.headers if key.lower() == name.lower())

    def get(self, name: str, default: str | None = None) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), default)


def wsgi_request(
    application: Callable[[dict[str, Any], Any], Iterable[bytes]],
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    host: str = "127.0.0.1",
) -> Answer:
    """One request to ``application`` as a WSGI server makes it (``url``: path and query string)."""
    parts = urlsplit(url)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
    }
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    setup_testing_defaults(environ)
    started: list[Any] = []

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, response_headers]
        return lambda data: None

    result = application(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return Answer(int(started[0].split(" ", 1)[0]), list(started[1]), content)


def request(
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    content_type: str = "application/json",
    host: str = "127.0.0.1",
) -> tuple[Answer, list[str]]:
    """Make one request through the portal's WSGI application; its answer and its statements."""
    from osce_portal.wsgi import application

    sent = dict(headers or {})
    if method != "GET":
        sent["Content-Type"] = content_type
    with statements() as captured:
        response = wsgi_request(application, method, path, headers=sent, body=body or b"", host=host)
    return response, list(captured)


def is_write(sql: str) -> bool:
    """Whether a statement changes data (or opens a savepoint): L1 runs those in a transaction it
    rolls back, so they can be repeated."""
    verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return (
        verb in {"INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE", "ROLLBACK"}
        or " FOR UPDATE" in sql.upper()
    )
