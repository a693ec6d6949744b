"""The SQL statements the portal runs for one request, captured through Django's execute wrapper
while the test client makes the request in process (needs Django set up)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.test import Client


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


def request(
    client: Client,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    content_type: str = "application/json",
) -> tuple[Any, list[str]]:
    """Make one request through ``client`` and return its response and its statements."""
    with statements() as captured:
        if method == "GET":
            response = client.get(path, headers=headers)
        else:
            response = client.generic(
                method, path, data=body or b"", content_type=content_type, headers=headers
            )
    return response, list(captured)


def is_write(sql: str) -> bool:
    """Whether a statement changes data (or opens a savepoint): L1 runs those in a transaction it
    rolls back, so they can be repeated."""
    verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return (
        verb in {"INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE", "ROLLBACK"}
        or " FOR UPDATE" in sql.upper()
    )
