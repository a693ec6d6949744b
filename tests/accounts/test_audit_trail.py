"""The audit trail: a page for HR only (filters, pages, a constant number of queries), not
editable through the portal or the admin; the password page applies the password validators and
the change is audited. CV downloads' audit: tests/secondments/test_cv_files.py."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from accounts.services import password_change
from core.audit import audit_record
from core.errors import Invalid, LoginRequired
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _client(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- The page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("dave", 403), ("bob", 403), ("olga", 403), ("alice", 200)])
def test_only_hr_reads_the_audit_trail(request: Any, who: str, status: int) -> None:
    assert _client(request.getfixturevalue(who)).get("/audit/").status_code == status


def test_anonymous_is_asked_to_log_in() -> None:
    response = Client().get("/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_filters_by_action_user_object_and_day(alice: Any, bob: Any, dave: Any) -> None:
    audit_record(actor=bob, action="login.failed", target=bob)
    audit_record(actor=dave, action="login.succeeded", target=dave)
    audit_record(actor=alice, action="vacancy.published", target=alice, data={"note": "v"})
    old = audit_record(actor=alice, action="vacancy.closed", target=alice)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=40))
    client = _client(alice)

    def actions(query: str) -> list[str]:
        response = client.get(f"/audit/?{query}")
        assert response.status_code == 200, query
        return sorted(entry.action for entry in response.context["entries"])

    assert actions("action=login") == ["login.failed", "login.succeeded"]
    assert actions("action=login.failed") == ["login.failed"]
    assert actions("actor=BOB") == ["login.failed"]
    assert actions("action=vacancy") == ["vacancy.closed", "vacancy.published"]
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert actions(f"action=vacancy&since={since}") == ["vacancy.published"]
    assert actions(f"target_type=auth.user&target_id={dave.pk}") == ["login.succeeded"]


@pytest.mark.parametrize(
    "query", ["since=yesterday", "until=2026-13-45", "action=" + "x" * 500, "since=%00", "page=abc"]
)
def test_bad_filters_and_pages_are_4xx(alice: Any, query: str) -> None:
    response = _client(alice).get(f"/audit/?{query}")
    assert 400 <= response.status_code < 500, (query, response.status_code)


def test_the_page_runs_the_same_queries_for_one_entry_and_for_fifty(
    alice: Any, dave: Any, django_assert_num_queries: Any
) -> None:
    client = _client(alice)
    client.get("/audit/")  # warm the session and roles caches
    audit_record(actor=dave, action="login.succeeded", target=dave)
    # session, user, HR role check, count, one page of entries joined with their users.
    with django_assert_num_queries(5):
        client.get("/audit/")
    for _ in range(60):
        audit_record(actor=dave, action="login.succeeded", target=dave)
    with django_assert_num_queries(5):
        response = client.get("/audit/")
    assert len(response.context["entries"]) == 50 and response.context["is_paginated"]
    assert client.get("/audit/?page=2").status_code == 200
    assert client.get("/audit/?page=99999999999999999999").status_code == 404


def test_the_trail_cannot_be_changed_through_the_portal_or_the_admin(alice: Any, staff: Any) -> None:
    entry = audit_record(actor=alice, action="vacancy.published", target=alice)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(_client(alice), method)("/audit/").status_code == 405
    admin = _client(staff)
    assert admin.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code in (200, 403)
    response = admin.post(f"/admin/core/auditentry/{entry.pk}/change/", {"action": "x"})
    assert response.status_code == 403
    assert admin.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert admin.post("/admin/core/auditentry/add/", {"action": "x"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "vacancy.published"


# --- Password change ------------------------------------------------------------------------------


def test_the_password_page_applies_the_validators_and_audits_the_change(dave: Any) -> None:
    client = _client(dave)
    assert client.get("/accounts/password/").status_code == 200
    for weak in ("12345678", "password", "short", "dave"):
        response = client.post(
            "/accounts/password/", {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
        )
        assert response.status_code == 400, weak
    wrong_old = {
        "old_password": "nope",
        "new_password1": "Unusual-phrase-42",
        "new_password2": "Unusual-phrase-42",
    }
    assert client.post("/accounts/password/", wrong_old).status_code == 400
    assert not AuditEntry.objects.filter(action="password.changed").exists()

    good = {
        "old_password": PASSWORD,
        "new_password1": "Unusual-phrase-42",
        "new_password2": "Unusual-phrase-42",
    }
    response = client.post("/accounts/password/", good)
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert client.get("/accounts/me/").status_code == 200  # this session stays
    dave = get_user_model().objects.get(pk=dave.pk)
    assert dave.check_password("Unusual-phrase-42")
    entry = AuditEntry.objects.get(action="password.changed")
    assert entry.actor_id == dave.pk and "Unusual" not in f"{entry.data}{entry.reason}{entry.target_repr}"


def test_the_service_refuses_a_weak_password_and_nobody_but_the_owner(dave: Any) -> None:
    with pytest.raises(Invalid):
        password_change(actor=dave, old_password=PASSWORD, new_password="123")
    with pytest.raises(LoginRequired):  # the system has no password to change
        password_change(actor=None, old_password=PASSWORD, new_password="Unusual-phrase-42")  # type: ignore[arg-type]
