"""grant_role and create_token, as an operator runs them."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ApiToken, hash_token
from accounts.roles import focal_state, is_hr
from core.models import AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_grant_hr_creates_the_user_without_a_usable_password() -> None:
    output = run("grant_role", "erin", "hr")
    user = User.objects.get(username="erin")
    assert not user.has_usable_password()
    assert is_hr(user)
    assert "created user erin" in output
    assert AuditEntry.objects.filter(action="role.granted", target_id=str(user.pk)).exists()


def test_grant_focal_point_needs_a_participating_state(austria) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="State"):
        run("grant_role", "frank", "focal-point")
    with pytest.raises(CommandError, match="XX"):
        run("grant_role", "frank", "focal-point", "--state", "XX")
    assert not User.objects.filter(username="frank").exists()  # nothing half-done
    run("grant_role", "frank", "focal-point", "--state", "at")
    assert focal_state(User.objects.get(username="frank")) == austria


def test_grant_is_idempotent_and_moves_a_focal_point(austria, germany) -> None:  # type: ignore[no-untyped-def]
    run("grant_role", "gina", "focal-point", "--state", "AT")
    run("grant_role", "gina", "focal-point", "--state", "DE")
    user = User.objects.get(username="gina")
    assert focal_state(user) == germany
    assert user.groups.count() == 1


def test_unknown_role_is_refused() -> None:
    with pytest.raises(CommandError):
        run("grant_role", "hank", "emperor")


def test_create_token_prints_the_token_alone_on_the_last_line_and_stores_a_digest(alice) -> None:  # type: ignore[no-untyped-def]
    output = run("create_token", "alice", "--name", "integration", "--expires-days", "30")
    raw = output.strip().splitlines()[-1]
    assert raw.startswith("osce_") and " " not in raw
    token = ApiToken.objects.get(user=alice, name="integration")
    assert token.digest == hash_token(raw) and raw not in token.digest
    assert token.expires is not None
    assert not ApiToken.objects.filter(digest=raw).exists()


def test_create_token_for_unknown_user_or_bad_expiry_is_refused(alice) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="nobody"):
        run("create_token", "nobody")
    with pytest.raises(CommandError):
        run("create_token", "alice", "--expires-days", "0")


def test_create_token_expires_in_a_year_by_default_or_never_when_asked(alice) -> None:  # type: ignore[no-untyped-def]
    run("create_token", "alice", "--name", "default-life")
    token = ApiToken.objects.get(name="default-life")
    assert token.expires is not None
    lifetime = token.expires - timezone.now()
    assert abs(lifetime - datetime.timedelta(days=365)) < datetime.timedelta(minutes=1)
    output = run("create_token", "alice", "--name", "forever", "--no-expiry")
    assert ApiToken.objects.get(name="forever").expires is None and "does not expire" in output
    with pytest.raises(CommandError):
        run("create_token", "alice", "--no-expiry", "--expires-days", "3")


def test_create_token_read_only(alice) -> None:  # type: ignore[no-untyped-def]
    output = run("create_token", "alice", "--name", "reader", "--read-only")
    assert ApiToken.objects.get(name="reader").read_only and "read-only" in output
    run("create_token", "alice", "--name", "writer")
    assert not ApiToken.objects.get(name="writer").read_only
