"""CV files: checked by parsing, stored readable by the portal's user only under a random name, and
removed whenever the row that names them is not written (a refusal, a rollback of the service's own
transaction, of a savepoint, or of an outer transaction); each download audited."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client

from core.errors import Invalid
from core.models import AuditEntry
from secondments.models import Nomination, Vacancy
from tests.secondments.conftest import PDF
from tests.secondments.test_services import submit


class Undone(Exception):
    """Raised to roll a transaction back."""


def _stored_files() -> list[Path]:
    root = Path(default_storage.location)  # type: ignore[attr-defined]
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_cv_is_stored_0600_under_a_random_name(bob: Any, vacancy: Vacancy) -> None:
    first = submit(vacancy, bob, cv=SimpleUploadedFile("Anna Huber CV.pdf", PDF))
    second = submit(vacancy, bob, n=2, cv=SimpleUploadedFile("Anna Huber CV.pdf", PDF))
    for nomination in (first, second):
        path = Path(nomination.cv.path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, oct(path.stat().st_mode)
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700, oct(path.parent.stat().st_mode)
        assert "Anna" not in nomination.cv.name and "Huber" not in nomination.cv.name
    assert first.cv.name != second.cv.name


def test_a_text_file_that_starts_like_a_pdf_is_refused_and_not_stored(bob: Any, vacancy: Vacancy) -> None:
    with pytest.raises(Invalid):
        submit(vacancy, bob, cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.7\nnot a PDF at all\n%%EOF"))
    assert _stored_files() == [] and not Nomination.objects.exists()


def test_a_rolled_back_savepoint_removes_the_cv_it_stored(bob: Any, vacancy: Vacancy) -> None:
    with pytest.raises(Undone), transaction.atomic():
        nomination = submit(vacancy, bob, cv=SimpleUploadedFile("cv.pdf", PDF))
        assert Path(nomination.cv.path).exists()
        raise Undone
    assert not Nomination.objects.exists()
    assert _stored_files() == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_removes_the_cv_a_committed_one_keeps_it(
    bob: Any, vacancy: Vacancy
) -> None:
    with pytest.raises(Undone), transaction.atomic():  # an outer transaction: the service's is nested
        submit(vacancy, bob, cv=SimpleUploadedFile("cv.pdf", PDF))
        raise Undone
    assert not Nomination.objects.exists()
    assert _stored_files() == []

    kept = submit(vacancy, bob, n=2, cv=SimpleUploadedFile("cv.pdf", PDF))
    assert _stored_files() == [Path(kept.cv.path)]


@pytest.mark.django_db(transaction=True)
def test_a_commit_that_fails_removes_the_cv(
    bob: Any, vacancy: Vacancy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row is written, then COMMIT fails (as a deferred constraint or a lost serialisation
    race would make it): the file goes with the row."""

    def failing_commit() -> None:
        raise DatabaseError("commit failed")

    monkeypatch.setattr(connection, "_commit", failing_commit)
    with pytest.raises(DatabaseError):
        submit(vacancy, bob, cv=SimpleUploadedFile("cv.pdf", PDF))
    monkeypatch.undo()
    assert not Nomination.objects.exists()
    assert _stored_files() == []


def _as(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_cv_download_is_audited_a_refused_one_is_not(
    alice: Any, bob: Any, carol: Any, vacancy: Vacancy
) -> None:
    nomination = submit(vacancy, bob, cv=SimpleUploadedFile("cv.pdf", PDF))
    url = f"/nominations/{nomination.pk}/cv/"
    assert _as(carol).get(url).status_code == 404
    assert _as(None).get(url).status_code == 302
    assert not AuditEntry.objects.filter(action="nomination.cv_downloaded").exists()

    for user in (bob, alice):
        response = _as(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    downloads = AuditEntry.objects.filter(action="nomination.cv_downloaded", target_id=str(nomination.pk))
    assert sorted(downloads.values_list("actor__username", flat=True)) == ["alice", "bob"]
