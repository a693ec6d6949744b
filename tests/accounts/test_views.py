"""Login with lockout, logout, and the user's page with its API tokens."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_login_and_logout(client: Client, alice) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert b'<label for="id_username">' in page.content
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/me/").status_code == 200
    confirm = client.get("/accounts/logout/")
    assert confirm.status_code == 200 and b"<form" in confirm.content  # GET does not log out
    assert client.get("/accounts/me/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/me/").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_COOLOFF_MINUTES=15)
def test_username_is_locked_after_too_many_failures(client: Client, alice) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    # Locked: even the right password is refused, with a clear message, from any address.
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7"
    )
    assert response.status_code == 200
    assert b"locked" in response.content
    assert client.get("/accounts/me/").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_lockout_counts_per_username(client: Client, alice, dave) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        client.post("/accounts/login/", {"username": "dave", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_token_created_on_the_users_page_is_shown_once(client: Client, dave) -> None:  # type: ignore[no-untyped-def]
    client.force_login(dave)
    response = client.post("/accounts/me/tokens/", {"name": "my script", "expires_days": "90"})
    assert response.status_code == 201
    raw = response.context["new_token"]
    assert raw.encode() in response.content
    token = ApiToken.objects.get(user=dave)
    assert token.digest == hash_token(raw)
    again = client.get("/accounts/me/")
    assert raw.encode() not in again.content
    assert token.hint.encode() in again.content


def test_token_form_refuses_bad_input(client: Client, dave) -> None:  # type: ignore[no-untyped-def]
    client.force_login(dave)
    response = client.post("/accounts/me/tokens/", {"name": "", "expires_days": "-3"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke_own_token_only(client: Client, dave, alice) -> None:  # type: ignore[no-untyped-def]
    from accounts.services import token_create

    mine, _ = token_create(user=dave, name="mine")
    theirs, _ = token_create(user=alice, name="theirs")
    client.force_login(dave)
    assert client.post(f"/accounts/me/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/me/tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked is not None and theirs.revoked is None


def test_profile_needs_login(client: Client) -> None:
    response = client.get("/accounts/me/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_token_form_offers_read_only_a_year_by_default_and_no_expiry(client: Client, dave) -> None:  # type: ignore[no-untyped-def]
    client.force_login(dave)
    page = client.get("/accounts/me/").content.decode()
    assert 'name="read_only"' in page and 'name="no_expiry"' in page and 'value="365"' in page
    assert client.post("/accounts/me/tokens/", {"name": "reader", "read_only": "on"}).status_code == 201
    reader = ApiToken.objects.get(name="reader")
    assert reader.read_only
    assert reader.expires is not None and reader.expires > timezone.now() + datetime.timedelta(days=364)
    assert client.post("/accounts/me/tokens/", {"name": "forever", "no_expiry": "on"}).status_code == 201
    forever = ApiToken.objects.get(name="forever")
    assert forever.expires is None and not forever.read_only
    shown = client.get("/accounts/me/").content.decode()
    assert "read only" in shown and "never used" in shown


def test_the_page_shows_when_a_token_was_last_used(client: Client, dave) -> None:  # type: ignore[no-untyped-def]
    from accounts.services import token_create

    token, raw = token_create(user=dave, name="used")
    APIClient().get("/api/v1/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    token.refresh_from_db()
    assert token.last_used is not None
    client.force_login(dave)
    assert token.last_used.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M") in (
        client.get("/accounts/me/").content.decode()
    )
