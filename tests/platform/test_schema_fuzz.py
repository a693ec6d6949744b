"""Fuzz the whole API against its own OpenAPI schema: no client input may produce a 5xx.

Every operation of /api/v1/schema/ (GETs and writes) is exercised with generated input,
anonymously and with an HR token (so the write paths run too). Every answer must be below 500
and match the schema: its status code is one the operation documents, its content type and its
body are the documented ones. Derandomized, so a run is reproducible. Grows by itself as apps add
endpoints.
"""

from __future__ import annotations

import socket

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from osce_portal.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
    derandomize=True,
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():  # type: ignore[no-untyped-def]
    """Requests go through the real WSGI handler, whose signals would close the test's connection
    (and with it the test transaction); Django's own test client detaches them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated webhook URLs carry random host names: answer for them without asking DNS."""
    from webhooks import services

    monkeypatch.setattr(services, "_resolve", lambda host, port: [(socket.AF_INET, ("192.0.2.10", port))])


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from accounts.services import token_create

    _token, raw = token_create(user=user, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def hr_headers(alice) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return _bearer(alice)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_no_server_error_anonymous(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_no_server_error_as_hr(case: schemathesis.Case, hr_headers: dict[str, str]) -> None:
    response = case.call(headers=hr_headers)
    case.validate_response(response, checks=CHECKS)
