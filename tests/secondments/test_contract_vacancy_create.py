"""Contract §6: HR creates a vacancy with the fields a client knows; the rest has sensible defaults.

`field_of_expertise` is a field of the resource, not a required input: left out, it follows from the
dimension (as `appointment` follows from the grade and `duty_station` from the post).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.secondments.factories import DimensionFactory, FieldOfExpertiseFactory

pytestmark = pytest.mark.django_db


def minimal(operation: Any, **extra: Any) -> dict[str, Any]:
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "title": "Human Rights Officer",
        "field_operation": operation.slug,
        "grade": "S2",
        "dimension": "human",
        "posts": 1,
        "deadline": deadline.isoformat(),
        **extra,
    }


def test_field_of_expertise_defaults_from_the_dimension(api_as: Any, alice: Any, operation: Any) -> None:
    DimensionFactory(slug="human")
    FieldOfExpertiseFactory(slug="human-rights", name="Human rights")
    response = api_as(alice).post("/api/v1/vacancies/", minimal(operation), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["field_of_expertise"] == "human-rights"
    assert body["appointment"] == "seconded"
    assert body["duty_station"] == operation.location
    assert body["status"] == "draft"
    assert body["url"].startswith("http://testserver/api/v1/vacancies/VNBAHS")


def test_given_field_of_expertise_is_kept(api_as: Any, alice: Any, operation: Any, expertise: Any) -> None:
    DimensionFactory(slug="human")
    response = api_as(alice).post(
        "/api/v1/vacancies/", minimal(operation, field_of_expertise=expertise.slug), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["field_of_expertise"] == expertise.slug


def test_past_deadline_is_400(api_as: Any, alice: Any, operation: Any) -> None:
    DimensionFactory(slug="human")
    FieldOfExpertiseFactory(slug="human-rights", name="Human rights")
    response = api_as(alice).post(
        "/api/v1/vacancies/", minimal(operation, deadline="2020-01-01"), format="json"
    )
    assert response.status_code == 400
    assert "deadline" in response.json()


@pytest.mark.parametrize(
    ("kind", "status"), [("secretariat", 201), ("institution", 201), ("decision-making", 400)]
)
def test_body_posts_are_at_the_secretariat_or_an_institution(
    api_as: Any, alice: Any, kind: str, status: int
) -> None:
    from states.models import Body

    DimensionFactory(slug="human")
    FieldOfExpertiseFactory(slug="human-rights", name="Human rights")
    Body.objects.create(slug="a-body", name="A body", kind=kind, seat="Vienna")
    deadline = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    body = {"title": "Adviser", "body": "a-body", "grade": "P3", "dimension": "human", "deadline": deadline}
    response = api_as(alice).post("/api/v1/vacancies/", body, format="json")
    assert response.status_code == status, response.json()
    if status == 400:
        assert "body" in response.json()
