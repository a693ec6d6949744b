"""PostgreSQL restarted under a running web server: the server answers again at once, without a
restart of its own. Its persistent connection (CONN_MAX_AGE) died with the database; Django's
CONN_HEALTH_CHECKS finds that out before the next request uses it and reconnects.

The PostgreSQL is a throwaway pgserver in a temporary folder (never the machine's), restarted with
``pg_ctl restart -m fast`` (which ends every client connection)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pgserver
import pytest
from pgserver._commands import pg_ctl

from tests.faults.servers import Process, ThrowawayRedis, portal_env, request, web_server

pytestmark = pytest.mark.xdist_group("faults")


@pytest.fixture
def postgres() -> Iterator[pgserver.PostgresServer]:
    # Not under pytest's tmp_path: run as root, pgserver runs PostgreSQL as an unprivileged user,
    # which must reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="osce-fault-pg-"))
    folder.chmod(0o755)
    server = pgserver.get_server(folder / "pg", cleanup_mode="delete")
    yield server
    server.cleanup()


def test_the_web_server_answers_again_after_postgresql_restarts(
    tmp_path: Path, postgres: pgserver.PostgresServer
) -> None:
    redis_server = ThrowawayRedis(tmp_path)
    redis_server.start()
    env = portal_env(
        database_url=postgres.get_uri(),
        redis_url=redis_server.url,
        mail_log=tmp_path / "mail.log",
        CONN_MAX_AGE="600",  # the production default: one connection kept across requests
    )
    web: Process | None = None
    try:
        web, base = web_server(env, tmp_path / "web.log")
        for _ in range(3):  # the connection is open and kept
            assert request(base + "/readyz")[0] == 200

        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=postgres.pgdata, user=postgres.system_user, timeout=60)

        # The very first request after the restart already finds the database (health check).
        code, body = request(base + "/readyz")
        assert (code, json.loads(body)["checks"]["database"]) == (200, "ok"), web.output()
        assert web.alive()
    finally:
        if web is not None:
            web.stop()
        redis_server.kill()
