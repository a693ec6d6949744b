"""The API of field operations and projects (CONTRACT §6)."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from core.models import AuditEntry
from missions import reference
from missions.models import FieldOperation, Pledge, Project
from tests.missions.factories import (
    BodyFactory,
    FieldOperationFactory,
    HeadFactory,
    PledgeFactory,
    ProjectFactory,
    StateFactory,
)

OPERATIONS = "/api/v1/field-operations/"
PROJECTS = "/api/v1/projects/"
CSV = Path(reference.__file__).resolve().parent / "reference" / "field_operations.csv"


def _active_in_csv(on: datetime.date) -> set[str]:
    with CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["slug"]
        for row in rows
        if datetime.date.fromisoformat(row["established"]) <= on
        and (not row["closed"] or on < datetime.date.fromisoformat(row["closed"]))
    }


def _slugs(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {item["slug"] for item in response.json()["results"]}


# --- field operations ---------------------------------------------------------------------------


def test_operation_fields_follow_the_contract(api, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    response = api.get(OPERATIONS + "programme-office-in-astana/")
    assert response.status_code == 200
    data = response.json()
    assert data["url"] == "http://testserver/api/v1/field-operations/programme-office-in-astana/"
    for field in (
        "slug",
        "name",
        "kind",
        "region",
        "host_state",
        "location",
        "established",
        "established_precision",
        "closed",
        "closed_precision",
        "status",
        "predecessor",
        "decisions",
        "dimensions",
    ):
        assert field in data
    assert data["host_state"] == "KZ"
    assert data["kind"] == "programme-office"
    assert data["region"] == "central-asia"
    assert data["established"] == "2014-12-18"
    assert data["closed"] is None
    assert data["status"] == "active"
    assert data["predecessor"] == "centre-in-astana"
    assert data["code"] == "AST"
    assert data["dimensions"] == sorted(data["dimensions"]) or set(data["dimensions"]) == {
        "politico-military",
        "economic-environmental",
        "human",
    }


def test_kosovo_has_no_host_state_and_closed_ones_their_dates(api, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    kosovo = api.get(OPERATIONS + "mission-in-kosovo/").json()
    assert kosovo["host_state"] is None
    assert kosovo["decisions"] == ["PC.DEC/305"]
    almaty = api.get(OPERATIONS + "centre-in-almaty/").json()
    assert almaty["status"] == "closed"
    assert almaty["closed"] == "2007-06-21"
    assert almaty["closed_precision"] == "day"
    assert almaty["successor"] == "centre-in-astana"
    dushanbe = api.get(OPERATIONS + "centre-in-dushanbe/").json()
    assert dushanbe["closed"] == "2008-06-01"
    assert dushanbe["closed_precision"] == "month"


def test_status_active_is_exactly_todays_operations(api, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    response = api.get(OPERATIONS, {"status": "active", "page_size": 200})
    assert response.status_code == 200
    assert _slugs(response) == _active_in_csv(today)
    assert response.json()["count"] == len(_active_in_csv(today)) == 12
    assert all(item["status"] == "active" and item["closed"] is None for item in response.json()["results"])


def test_status_closed_carries_closing_dates(api, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    response = api.get(OPERATIONS, {"status": "closed", "page_size": 200})
    results = response.json()["results"]
    assert len(results) == 43 - 12
    assert all(item["status"] == "closed" and item["closed"] for item in results)


def test_as_of_2015_includes_the_special_monitoring_mission(api, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    response = api.get(OPERATIONS, {"as_of": "2015-01-01", "page_size": 200})
    slugs = _slugs(response)
    assert "special-monitoring-mission-to-ukraine" in slugs
    assert slugs == _active_in_csv(datetime.date(2015, 1, 1))
    # The half-open rule: the Centre in Astana's last day was 17 Dec 2014.
    assert "centre-in-astana" in _slugs(api.get(OPERATIONS, {"as_of": "2014-12-17"}))
    assert "centre-in-astana" not in _slugs(api.get(OPERATIONS, {"as_of": "2014-12-18"}))


def test_filters_region_host_state_dimension_search(api, reference_loaded, austria) -> None:  # type: ignore[no-untyped-def]
    baltic = _slugs(api.get(OPERATIONS, {"region": "baltic"}))
    assert baltic == {"mission-to-estonia", "mission-to-latvia"}
    tajik = _slugs(api.get(OPERATIONS, {"host_state": "TJ"}))
    assert tajik == {
        "mission-to-tajikistan",
        "centre-in-dushanbe",
        "office-in-tajikistan",
        "programme-office-in-dushanbe",
    }
    assert _slugs(api.get(OPERATIONS, {"host_state": "tj"})) == tajik
    assert _slugs(api.get(OPERATIONS, {"host_state": "AT"})) == set()
    human = api.get(OPERATIONS, {"dimension": "human", "status": "active", "page_size": 200}).json()
    assert human["count"] == 12  # one row each, despite the many-to-many join
    assert _slugs(api.get(OPERATIONS, {"search": "astana"})) == {
        "centre-in-astana",
        "programme-office-in-astana",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"status": "open"},
        {"region": "mars"},
        {"host_state": "XX"},
        {"dimension": "cyber"},
        {"as_of": "2015-13-01"},
        {"as_of": "yesterday"},
    ],
)
def test_invalid_filter_values_answer_400(api, reference_loaded, params) -> None:  # type: ignore[no-untyped-def]
    response = api.get(OPERATIONS, params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


def test_unknown_operation_is_404(api, db) -> None:  # type: ignore[no-untyped-def]
    assert api.get(OPERATIONS + "nowhere/").status_code == 404


def test_operations_are_read_only(api_as, alice, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    client = api_as(alice)
    assert client.post(OPERATIONS, {"slug": "x"}, format="json").status_code == 405
    assert client.delete(OPERATIONS + "mission-to-moldova/").status_code == 405


def test_head_is_shown(api, db) -> None:  # type: ignore[no-untyped-def]
    head = HeadFactory(started=datetime.date(2020, 1, 1))
    HeadFactory(
        operation=head.operation,
        name="Former Head",
        started=datetime.date(2015, 1, 1),
        ended=datetime.date(2020, 1, 1),
    )
    data = api.get(OPERATIONS + head.operation.slug + "/").json()
    assert data["head"]["name"] == "Jane Doe"


def _operations(count: int) -> None:
    for _ in range(count):
        operation = FieldOperationFactory()
        HeadFactory(operation=operation)
        successor = FieldOperationFactory(predecessor=operation, host_state=operation.host_state)
        successor.dimensions.set([])


@pytest.mark.parametrize("rows", [1, 30])
def test_operation_list_queries_are_constant(api, db, django_assert_num_queries, rows) -> None:  # type: ignore[no-untyped-def]
    _operations(rows)
    # 1 count, 1 page of operations with host State, predecessor and successor joined,
    # then 3 prefetches: dimensions, topics, heads.
    with django_assert_num_queries(5):
        response = api.get(OPERATIONS)
    assert response.status_code == 200
    assert response.json()["count"] == rows * 2


# --- projects and pledges -----------------------------------------------------------------------


def test_project_fields_follow_the_contract(api, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(budget_eur=Decimal("250000.00"))
    PledgeFactory(
        project=project, state=StateFactory(code="AT", name="Austria"), amount_eur=Decimal("60000.50")
    )
    data = api.get(f"{PROJECTS}{project.pk}/").json()
    assert data["url"] == f"http://testserver/api/v1/projects/{project.pk}/"
    assert data["id"] == project.pk
    assert data["implementer"] == project.field_operation.slug
    assert data["dimension"] == "human"
    assert data["budget_eur"] == 250000.0
    assert data["pledged_eur"] == 60000.5
    assert data["status"] == "approved"
    assert data["pledges"] == [
        {
            "state": "AT",
            "amount_eur": 60000.5,
            "date": "2026-01-15",
            "received": None,
            "received_amount_eur": None,
        }
    ]


def test_project_of_an_institution_names_the_body(api, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(field_operation=None, body=BodyFactory())
    data = api.get(f"{PROJECTS}{project.pk}/").json()
    assert data["implementer"] == "odihr"
    assert data["implementer_kind"] == "body"
    assert _ids(api.get(PROJECTS, {"implementer": "odihr"})) == {project.pk}
    assert _ids(api.get(PROJECTS, {"body": "odihr"})) == {project.pk}


def _ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {item["id"] for item in response.json()["results"]}


def test_project_filters(api, db) -> None:  # type: ignore[no-untyped-def]
    first = ProjectFactory(status=Project.Status.ONGOING)
    second = ProjectFactory(status=Project.Status.COMPLETED)
    PledgeFactory(project=second, state=StateFactory(code="DE", name="Germany"))
    assert _ids(api.get(PROJECTS, {"status": "ongoing"})) == {first.pk}
    assert _ids(api.get(PROJECTS, {"field_operation": first.field_operation.slug})) == {first.pk}
    assert _ids(api.get(PROJECTS, {"state": "DE"})) == {second.pk}
    assert _ids(api.get(PROJECTS, {"dimension": "human"})) == {first.pk, second.pk}
    for params in (
        {"status": "nope"},
        {"dimension": "cyber"},
        {"field_operation": "nowhere"},
        {"state": "XX"},
    ):
        assert api.get(PROJECTS, params).status_code == 400


@pytest.mark.parametrize("rows", [1, 25])
def test_project_list_queries_are_constant(api, db, django_assert_num_queries, rows) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rows):
        project = ProjectFactory()
        PledgeFactory(project=project)
        PledgeFactory(project=project)
    # 1 count, 1 page of projects with operation, body and dimension joined, 1 prefetch of pledges
    # with their States.
    with django_assert_num_queries(3):
        response = api.get(PROJECTS)
    assert response.json()["count"] == rows


def test_focal_point_pledges_for_its_own_state(api_as, bob, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(budget_eur=Decimal("100000"))
    response = api_as(bob).post(
        f"{PROJECTS}{project.pk}/pledges/", {"amount_eur": "25000.50", "note": "2027 budget"}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "AT"
    assert data["amount_eur"] == 25000.5
    assert data["pledged_eur"] == 25000.5
    assert data["date"] == timezone.localdate().isoformat()
    pledge = Pledge.objects.get()
    assert pledge.state_id == "AT"
    assert pledge.pledged_by == bob
    assert AuditEntry.objects.filter(action="pledge.created", target_id=str(pledge.pk)).exists()
    project_data = api_as(bob).get(f"{PROJECTS}{project.pk}/").json()
    assert project_data["pledged_eur"] == 25000.5
    assert project_data["pledges"][0]["state"] == "AT"


def test_a_json_number_amount_is_accepted(api_as, carol, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    response = api_as(carol).post(f"{PROJECTS}{project.pk}/pledges/", {"amount_eur": 1000}, format="json")
    assert response.status_code == 201
    assert response.json()["state"] == "DE"


def test_a_state_in_the_body_is_ignored(api_as, bob, carol, db) -> None:  # type: ignore[no-untyped-def]
    # Bob cannot pledge Germany's money by naming it: the State is always the caller's own.
    project = ProjectFactory()
    response = api_as(bob).post(
        f"{PROJECTS}{project.pk}/pledges/", {"amount_eur": "10", "state": "DE"}, format="json"
    )
    assert response.status_code == 201
    assert Pledge.objects.get().state_id == "AT"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("abc", "Enter an amount in euros"),
        ("", "This field may not be blank."),
        ("NaN", "Enter an amount in euros"),
        ("Infinity", "Enter an amount in euros"),
        ("1.234", "two decimal places"),
        ("1e30", "too large"),
        (0, "more than zero"),
        (-5, "more than zero"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(api_as, bob, db, amount, message) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    response = api_as(bob).post(f"{PROJECTS}{project.pk}/pledges/", {"amount_eur": amount}, format="json")
    assert response.status_code == 400
    errors = response.json()["amount_eur"]
    assert any(message in error for error in errors), errors
    assert not Pledge.objects.exists()


def test_missing_amount_is_400(api_as, bob, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    response = api_as(bob).post(f"{PROJECTS}{project.pk}/pledges/", {"note": "x"}, format="json")
    assert response.status_code == 400
    assert "amount_eur" in response.json()


def test_malformed_json_is_400(api_as, bob, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    response = api_as(bob).post(
        f"{PROJECTS}{project.pk}/pledges/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_anonymous_pledge_is_401(api, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    response = api.post(f"{PROJECTS}{project.pk}/pledges/", {"amount_eur": "10"}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_users_who_are_not_focal_points_get_403(api_as, request, db, who) -> None:  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(who)
    project = ProjectFactory()
    response = api_as(user).post(f"{PROJECTS}{project.pk}/pledges/", {"amount_eur": "abc"}, format="json")
    assert response.status_code == 403
    assert not Pledge.objects.exists()


@pytest.mark.parametrize("status", [Project.Status.COMPLETED, Project.Status.CANCELLED])
def test_a_closed_project_takes_no_pledge(api_as, bob, db, status) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(status=status)
    response = api_as(bob).post(f"{PROJECTS}{project.pk}/pledges/", {"amount_eur": "10"}, format="json")
    assert response.status_code == 409
    assert "takes no more pledges" in response.json()["detail"]


def test_pledge_to_unknown_project_is_404(api_as, bob, db) -> None:  # type: ignore[no-untyped-def]
    response = api_as(bob).post(f"{PROJECTS}999999/pledges/", {"amount_eur": "10"}, format="json")
    assert response.status_code == 404


def test_get_on_pledges_is_405(api_as, bob, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    assert api_as(bob).get(f"{PROJECTS}{project.pk}/pledges/").status_code == 405


def test_list_has_etag_and_answers_304(api, db) -> None:  # type: ignore[no-untyped-def]
    ProjectFactory()
    first = api.get(PROJECTS)
    assert first.has_header("ETag")
    again = api.get(PROJECTS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_operations_without_reference(api, db) -> None:  # type: ignore[no-untyped-def]
    FieldOperationFactory(closed=datetime.date(2010, 1, 1))
    assert api.get(OPERATIONS, {"status": "closed"}).json()["count"] == 1
    assert api.get(OPERATIONS, {"status": "active"}).json()["count"] == 0
    assert FieldOperation.objects.count() == 1
