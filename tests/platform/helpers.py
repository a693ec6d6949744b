"""Helpers for tests that start real processes."""

from __future__ import annotations

import socket
from urllib.parse import quote

from django.db import connection


def database_url_of_this_test_db(name: str | None = None) -> str:
    """A DATABASE_URL for the database the current test runs against (for subprocesses), or for
    database ``name`` on the same server."""
    conf = connection.settings_dict
    user = quote(conf["USER"] or "", safe="")
    password = quote(conf["PASSWORD"] or "", safe="")
    host = conf["HOST"] or ""
    name = name or conf["NAME"]
    if host.startswith("/"):
        return f"postgresql://{user}:{password}@/{name}?host={quote(host)}"
    port = f":{conf['PORT']}" if conf["PORT"] else ""
    return f"postgresql://{user}:{password}@{host}{port}/{name}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
