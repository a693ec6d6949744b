"""Reads routed to a PostgreSQL replica (DATABASE_REPLICA_URL): writes never go there, and a
client reads its own writes. The replica here is a second connection to the test database."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from osce_portal.db_router import PIN_COOKIE, PRIMARY, REPLICA, PrimaryReplicaRouter, _pinned, pin_to_primary


def _writes(queries: CaptureQueriesContext) -> list[str]:
    found = []
    for query in queries.captured_queries:
        sql = query["sql"].lstrip().upper()
        if sql.startswith(("INSERT", "UPDATE", "DELETE")) or " FOR UPDATE" in sql:
            found.append(query["sql"][:120])
    return found


def test_router_sends_writes_and_locked_reads_to_the_primary(db: None) -> None:
    router = PrimaryReplicaRouter()
    assert router.db_for_write(object()) == PRIMARY
    assert router.allow_migrate(REPLICA, "secondments") is False
    with transaction.atomic():  # a service's transaction: reads there may lock rows
        assert router.db_for_read(object()) == PRIMARY


def test_router_pins_a_context_to_the_primary(db: None) -> None:
    router = PrimaryReplicaRouter()
    # pytest-django wraps the test in a transaction: read the rule outside it through the flag.
    token = pin_to_primary()
    try:
        assert router.db_for_read(object()) == PRIMARY
    finally:
        _pinned.reset(token)


@pytest.fixture
def replica() -> Iterator[None]:
    """The router installed over the test settings' ``replica`` alias (a mirror of the test DB)."""
    with override_settings(DATABASE_ROUTERS=["osce_portal.db_router.PrimaryReplicaRouter"]):
        yield


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_writes_never_reach_the_replica_and_a_client_reads_its_own_write(
    replica: None, alice: Any, make_vacancy_data: Any
) -> None:
    hr = Client()
    hr.force_login(alice)
    with (
        CaptureQueriesContext(connections[PRIMARY]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        response = hr.post("/vacancies/new/", make_vacancy_data)
    assert response.status_code == 302, response.content[:500]
    assert _writes(primary), "the write went somewhere"
    assert _writes(on_replica) == [] and len(on_replica) == 0
    assert hr.cookies.get(PIN_COOKIE) is not None
    # The page the browser is sent to next reads the primary: the new draft is there.
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert hr.get(response["Location"]).status_code == 200
    assert len(on_replica) == 0
    # Another client, with no recent write, reads the replica.
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert Client().get("/vacancies/").status_code == 200
    assert len(on_replica) > 0 and _writes(on_replica) == []


@pytest.fixture
def make_vacancy_data(db: None) -> dict[str, str]:
    from tests.secondments.factories import DimensionFactory, FieldOfExpertiseFactory, FieldOperationFactory

    operation = FieldOperationFactory()
    DimensionFactory()
    FieldOfExpertiseFactory()
    return {
        "title": "Replica Officer",
        "field_operation": operation.slug,
        "grade": "S2",
        "field_of_expertise": "rule-of-law",
        "dimension": "human",
        "posts": "1",
        "notice_language": "en",
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
