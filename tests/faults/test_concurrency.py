"""Fifty requests at once through the API, each thread with its own database connection: the
posts of a vacancy are never over-filled and a candidate is nominated once, with every loser
answered 409 (never a 5xx)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.services import token_create
from secondments import services
from secondments.models import Nomination, Secondment, SelectionSlot, Vacancy
from states.models import State

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("faults")]

THREADS = 50


def _client(user: Any) -> APIClient:
    _token, raw = token_create(user=user, name="race")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def race(calls: list[Callable[[], Any]]) -> Counter[int]:
    """Run ``calls`` at once, one thread each (so one connection each); the status codes."""
    barrier = threading.Barrier(len(calls))
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            status = call().status_code
        except Exception as error:  # pragma: no cover - reported by the assertion
            status = -1
            print("error:", repr(error))
        finally:
            connection.close()
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_fifty_concurrent_selections_for_three_posts_select_exactly_three(
    make_vacancy: Any, alice: Any, bob: Any
) -> None:
    vacancy = make_vacancy(posts=3)
    austria = State.objects.get(code="AT")
    nominations = [
        services.nomination_submit(
            actor=bob,
            vacancy=vacancy,
            given_name="Anna",
            family_name=f"Huber{n}",
            email=f"anna.huber{n}@example.org",
            nationality=austria,
            gender="female",
        )
        for n in range(THREADS)
    ]
    services.vacancy_close(actor=alice, vacancy=vacancy)
    for nomination in nominations:
        services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    clients = [_client(alice) for _ in nominations]

    def select(client: APIClient, nomination: Nomination) -> Callable[[], Any]:
        return lambda: client.patch(
            f"/api/v1/nominations/{nomination.pk}/", {"status": "selected"}, format="json"
        )

    statuses = race(
        [select(client, nomination) for client, nomination in zip(clients, nominations, strict=True)]
    )

    assert statuses == Counter({200: 3, 409: THREADS - 3}), statuses
    assert Nomination.objects.filter(vacancy=vacancy, status="selected").count() == 3
    assert SelectionSlot.objects.filter(vacancy=vacancy).count() == 3
    assert Secondment.objects.filter(vacancy=vacancy).count() == 3
    assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.FILLED


def test_fifty_concurrent_nominations_of_one_candidate_keep_exactly_one(make_vacancy: Any, bob: Any) -> None:
    vacancy = make_vacancy()
    clients = [_client(bob) for _ in range(THREADS)]
    candidate = {
        "given_name": "Anna",
        "family_name": "Huber",
        "email": "anna.huber@example.org",
        "nationality": "AT",
        "gender": "female",
    }

    def nominate(client: APIClient) -> Callable[[], Any]:
        return lambda: client.post(
            f"/api/v1/vacancies/{vacancy.reference}/nominations/",
            {"candidate": candidate, "motivation": "Ten years with the courts."},
            format="json",
        )

    statuses = race([nominate(client) for client in clients])

    assert statuses == Counter({201: 1, 409: THREADS - 1}), statuses
    assert Nomination.objects.filter(vacancy=vacancy).count() == 1
