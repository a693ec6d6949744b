"""BEHIND_PROXY is the only way X-Forwarded-* headers count (contract §1): off (the default), a
made-up X-Forwarded-For changes nothing, not the client's address, not its throttle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from core.throttling import PortalRateThrottle

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = "tests.platform.urls_api_probe"


@pytest.fixture
def two_per_minute(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cache.clear()
    monkeypatch.setattr(PortalRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "1000/min"})
    yield
    cache.clear()


@pytest.mark.urls(PROBE)
def test_a_made_up_forwarded_for_does_not_reset_the_anonymous_throttle(
    api: APIClient, two_per_minute: None
) -> None:
    assert not settings.BEHIND_PROXY
    statuses = [
        api.get("/api/v1/probe/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]

    # Behind the proxy, the address the proxy appended identifies the client: whatever the client
    # itself put before it changes nothing, and another client has its own allowance.
    cache.clear()
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}):
        statuses = [
            api.get("/api/v1/probe/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7").status_code
            for n in range(3)
        ]
        other = api.get("/api/v1/probe/", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code
    assert statuses == [200, 200, 429]
    assert other == 200


WHO_IS_IT = """
import json
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

request = RequestFactory().get(
    "/api/v1/",
    REMOTE_ADDR="10.0.0.2",
    HTTP_HOST="portal.example",
    HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    HTTP_X_FORWARDED_PROTO="https",
    HTTP_X_FORWARDED_HOST="evil.example",
)
print(json.dumps({
    "client": AnonRateThrottle().get_ident(Request(request)),
    "secure": request.is_secure(),
    "host": request.get_host(),
}))
"""


@pytest.mark.parametrize(
    ("behind_proxy", "expected"),
    [
        ("", {"client": "10.0.0.2", "secure": False, "host": "portal.example"}),
        ("0", {"client": "10.0.0.2", "secure": False, "host": "portal.example"}),
        ("1", {"client": "198.51.100.7", "secure": True, "host": "portal.example"}),
    ],
)
def test_forwarded_headers_count_only_behind_the_proxy(behind_proxy: str, expected: dict[str, Any]) -> None:
    env = {key: value for key, value in os.environ.items() if key != "BEHIND_PROXY"}
    env.update({"DJANGO_SETTINGS_MODULE": "osce_portal.settings.test", "ALLOWED_HOSTS": "portal.example"})
    # Settings are read at start-up; a URL that is set keeps the embedded servers from starting.
    env.setdefault("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:1/0")
    if behind_proxy:
        env["BEHIND_PROXY"] = behind_proxy
    result = subprocess.run(
        [sys.executable, "-c", WHO_IS_IT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected
