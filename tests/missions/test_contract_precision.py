"""Contract §5: a date's `<name>_precision` companion is `day`, `month` or `year`; with no date
(an operation still running has `closed: null`) the companion is null too, never an empty string."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.missions.factories import FieldOperationFactory

pytestmark = pytest.mark.django_db


def test_running_operation_has_null_closed_precision(api: APIClient) -> None:
    operation = FieldOperationFactory(closed=None)
    body = api.get(f"/api/v1/field-operations/{operation.slug}/").json()
    assert body["closed"] is None
    assert body["closed_precision"] is None
    assert body["established_precision"] in {"day", "month", "year"}


def test_closed_operation_has_its_precision(api: APIClient) -> None:
    import datetime

    operation = FieldOperationFactory(
        established=datetime.date(2000, 1, 1), closed=datetime.date(2008, 6, 1), closed_precision="month"
    )
    body = api.get(f"/api/v1/field-operations/{operation.slug}/").json()
    assert (body["closed"], body["closed_precision"]) == ("2008-06-01", "month")
