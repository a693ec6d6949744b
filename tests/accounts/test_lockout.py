"""Login lockout: each attempt is counted before its password check, atomically, so a burst of
simultaneous guesses gets no more checks than LOGIN_FAILURE_LIMIT; logins and lockouts are audited."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import LoginFailure
from core.models import AuditEntry

PASSWORD = "correct horse battery staple"


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password verification made (the test settings hash with MD5)."""
    checks: list[str] = []
    lock = threading.Lock()
    verify = MD5PasswordHasher.verify

    def counting_verify(self: MD5PasswordHasher, password: str, encoded: str) -> bool:
        with lock:
            checks.append(password)
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counting_verify)
    return checks


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_FAILURE_LIMIT=5, LOGIN_COOLOFF_MINUTES=15)
def test_a_burst_of_wrong_passwords_gets_no_more_checks_than_the_limit(alice: Any, password_checks) -> None:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess(n: int) -> None:
        try:
            barrier.wait()
            user = authenticate(None, username="alice", password=f"wrong-{n}")
            result = "user" if user is not None else "refused"
        except Exception as error:  # pragma: no cover - reported below
            result = f"error: {error!r}"
        finally:
            connection.close()  # each thread had its own connection
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == ["refused"] * 20, outcomes
    assert len(password_checks) == 5, password_checks
    assert AuditEntry.objects.filter(action="login.failed", target_id=str(alice.pk)).count() == 5
    assert AuditEntry.objects.filter(action="login.locked", target_id=str(alice.pk)).count() == 1

    # Locked now: the right password is refused without being checked, in any letter case, and
    # refusals do not extend the lock.
    record = LoginFailure.objects.get(username="alice")
    assert record.locked_until is not None
    assert authenticate(None, username="Alice", password=PASSWORD) is None
    assert len(password_checks) == 5
    assert LoginFailure.objects.get(pk=record.pk).locked_until == record.locked_until

    # After the cool-off the counter starts over and the right password works.
    LoginFailure.objects.filter(pk=record.pk).update(
        locked_until=timezone.now() - datetime.timedelta(seconds=1),
        last_failure=timezone.now() - datetime.timedelta(minutes=16),
    )
    assert authenticate(None, username="alice", password=PASSWORD) == alice
    assert not LoginFailure.objects.exists()


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_COOLOFF_MINUTES=15)
def test_logins_and_lockouts_are_audited_without_the_password(client: Client, alice: Any, dave: Any) -> None:
    client.post("/accounts/login/", {"username": "dave", "password": "hunter2-wrong"})
    assert client.post("/accounts/login/", {"username": "dave", "password": PASSWORD}).status_code == 302
    assert not LoginFailure.objects.filter(username="dave").exists()  # reset by the success
    stranger = Client()
    for _ in range(3):
        stranger.post("/accounts/login/", {"username": "nobody", "password": "hunter2-wrong"})

    entries = {(entry.action, entry.target_type, entry.target_repr) for entry in AuditEntry.objects.all()}
    assert ("login.failed", "auth.user", "dave") in entries
    assert ("login.succeeded", "auth.user", "dave") in entries
    # No such user: the entries are about the username's failure counter.
    nobody = AuditEntry.objects.filter(target_type="accounts.loginfailure")
    assert sorted(nobody.values_list("action", flat=True)) == ["login.failed"] * 3 + ["login.locked"]
    succeeded = AuditEntry.objects.get(action="login.succeeded")
    assert succeeded.actor_id == dave.pk
    for entry in AuditEntry.objects.all():
        assert "hunter2" not in f"{entry.data} {entry.target_repr} {entry.reason}"
        assert PASSWORD not in f"{entry.data} {entry.target_repr} {entry.reason}"
