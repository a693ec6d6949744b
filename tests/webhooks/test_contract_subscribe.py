"""Contract §6: `webhooks/` takes `{url, events, secret}`; the contract sets no length on the secret."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_short_secret_is_accepted_and_never_shown(api_as: Any, bob: Any) -> None:
    response = api_as(bob).post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "events": ["vacancy.published"], "secret": "s3cret"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["url"] == "http://127.0.0.1:9/hook"
    assert "secret" not in body


@override_settings(WEBHOOK_ALLOW_PRIVATE=True)
def test_blank_secret_is_400(api_as: Any, bob: Any) -> None:
    response = api_as(bob).post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/hook", "events": ["vacancy.published"], "secret": ""},
        format="json",
    )
    assert response.status_code == 400
    assert "secret" in response.json()
