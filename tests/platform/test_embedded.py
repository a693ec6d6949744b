"""The embedded PostgreSQL and Redis: shared by every process that finds no URL, stopped by the last."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest

from osce_portal.embedded import _alive

BASE_DIR = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from osce_portal import embedded
    data = Path(sys.argv[1])
    print(embedded.postgres_url(data), flush=True)
    print(embedded.redis_url(data), flush=True)
    sys.stdin.readline()
    """
)


def _server_pids(data_dir: Path) -> list[int]:
    pids = []
    pg = data_dir / "pg" / "postmaster.pid"
    if pg.exists():
        pids.append(int(pg.read_text().splitlines()[0]))
    redis = data_dir / "redis" / "redis.pid"
    if redis.exists():
        pids.append(int(redis.read_text().strip()))
    return pids


@pytest.mark.worker
def test_servers_are_shared_and_stop_with_the_last_process(tmp_path_factory: pytest.TempPathFactory) -> None:
    data_dir = Path(tmp_path_factory.mktemp("emb"))
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    first = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    pg_url = first.stdout.readline().strip()  # type: ignore[union-attr]
    redis_url = first.stdout.readline().strip()  # type: ignore[union-attr]
    assert pg_url.startswith("postgresql://") and redis_url.startswith("unix://")
    pids = _server_pids(data_dir)
    assert len(pids) == 2 and all(psutil.pid_exists(pid) for pid in pids)

    # A second process attaches to the same servers and leaves them running when it exits.
    second = subprocess.run(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        cwd=BASE_DIR,
        env=env,
        input="\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.stdout.splitlines() == [pg_url, redis_url]
    assert _server_pids(data_dir) == pids and all(psutil.pid_exists(pid) for pid in pids)

    # The last one out stops both.
    first.communicate("\n", timeout=60)
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(pid).wait(timeout=15)
    assert not any(_alive(pid) for pid in pids)
