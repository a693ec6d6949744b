"""Answers the schema fuzzing (``test_schema_fuzz``) found out of line with the schema, each replayed
as one request and checked with the same schemathesis checks (status code, content type, body)."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.services import token_create
from tests.platform.test_schema_fuzz import CHECKS, keep_the_test_connection, schema  # noqa: F401

pytestmark = pytest.mark.django_db


def _replay(method: str, path: str, user: Any = None, **given: Any) -> Any:
    """One request through the WSGI handler, its answer checked against the schema."""
    case = schema[path][method].Case(**given)
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {token_create(user=user, name='replay')[1]}"
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)
    return response


def test_a_field_operation_without_predecessor_answers_null_as_documented() -> None:
    from tests.secondments.factories import FieldOperationFactory

    operation = FieldOperationFactory()
    response = _replay("GET", "/api/v1/field-operations/{slug}/", path_parameters={"slug": operation.slug})
    assert response.status_code == 200 and response.json()["predecessor"] is None


def test_a_nomination_without_cv_answers_null_as_documented(bob: Any) -> None:
    from tests.secondments.factories import NominationFactory

    nomination = NominationFactory()
    response = _replay("GET", "/api/v1/nominations/{id}/", bob, path_parameters={"id": nomination.pk})
    assert response.status_code == 200 and response.json()["cv"] is None


def test_the_open_data_listing_is_one_public_manifest() -> None:
    response = _replay("GET", "/api/v1/open-data/")
    assert response.status_code == 200 and response.json() == {"generated": None, "resources": []}
    operation = schema["/api/v1/open-data/"]["GET"].definition.raw
    assert {} in operation["security"]  # no credentials needed (none sent: none refused)


def test_a_write_offers_no_format_parameter() -> None:
    """``format`` chooses a read's representation; a write's operations do not offer it."""
    webhooks = schema["/api/v1/webhooks/"]
    assert "format" not in {parameter["name"] for parameter in webhooks["POST"].definition.raw["parameters"]}
    assert "format" in {parameter["name"] for parameter in webhooks["GET"].definition.raw["parameters"]}


def test_an_offer_read_by_hr_leaves_out_the_named_observers_as_documented(alice: Any) -> None:
    from tests.elections.factories import OfferFactory

    offer = OfferFactory()
    response = _replay("GET", "/api/v1/observer-offers/{id}/", alice, path_parameters={"id": offer.pk})
    assert response.status_code == 200 and "observers" not in response.json()
