"""A sort order on /missions/, /projects/ and /elections/ (issue 11 part 5), the same for the page,
its CSV and the API; an unknown order is a form error (400)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

from django.test import Client
from rest_framework.test import APIClient

from elections.models import Election
from missions.models import FieldOperation
from tests.missions.factories import ProjectFactory


def _csv(client: Client, path: str, column: str) -> list[str]:
    body = b"".join(client.get(path).streaming_content).decode("utf-8-sig")
    return [row[column] for row in csv.DictReader(io.StringIO(body))]


def _operations(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/missions/([a-z0-9-]+)/">', page)


def test_missions_sort_within_each_region(client: Client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    region = FieldOperation.objects.filter(region="central-asia")
    assert region.values("established").distinct().count() > 1
    page = client.get("/missions/?region=central-asia").content.decode()
    assert _operations(page) == [operation.slug for operation in region.order_by("name", "id")]
    for sort, order in [
        ("name", ("name", "id")),
        ("established", ("established", "name", "id")),
        ("-established", ("-established", "name", "id")),
    ]:
        page = client.get(f"/missions/?region=central-asia&sort={sort}").content.decode()
        assert _operations(page) == [operation.slug for operation in region.order_by(*order)], sort
    # every region, still grouped by region: the CSV and the API are one flat list in that order
    newest = [operation.slug for operation in FieldOperation.objects.order_by("-established", "name", "id")]
    assert _csv(client, "/missions/?sort=-established&format=csv", "slug") == newest
    api = APIClient().get("/api/v1/field-operations/", {"sort": "-established", "page_size": 200}).json()
    assert [row["slug"] for row in api["results"]] == newest


def test_missions_bad_sort(client: Client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/missions/?sort=budget")
    assert response.status_code == 400
    assert "budget is not one of the available choices" in response.content.decode()
    assert APIClient().get("/api/v1/field-operations/", {"sort": "budget"}).status_code == 400


def _projects(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<th scope="row"><a href="/projects/(\d+)/">', page)]


def test_projects_sort(client: Client, db) -> None:  # type: ignore[no-untyped-def]
    small = ProjectFactory(title="Water", budget_eur=Decimal("5000.00"))
    large = ProjectFactory(title="Borders", budget_eur=Decimal("900000.00"))
    middle = ProjectFactory(title="Media", budget_eur=Decimal("40000.00"))
    assert _projects(client.get("/projects/").content.decode()) == [middle.pk, large.pk, small.pk]
    for sort, expected in [
        ("-created", [middle, large, small]),
        ("title", [large, middle, small]),
        ("-budget", [large, middle, small]),
        ("budget", [small, middle, large]),
    ]:
        ids = [project.pk for project in expected]
        assert _projects(client.get(f"/projects/?sort={sort}").content.decode()) == ids, sort
        assert [int(pk) for pk in _csv(client, f"/projects/?sort={sort}&format=csv", "id")] == ids, sort
        api = APIClient().get("/api/v1/projects/", {"sort": sort}).json()
        assert [row["id"] for row in api["results"]] == ids, sort
    assert client.get("/projects/?sort=pledged").status_code == 400
    assert APIClient().get("/api/v1/projects/", {"sort": "pledged"}).status_code == 400


def _elections(page: str) -> list[int]:
    return [int(pk) for pk in dict.fromkeys(re.findall(r'href="/elections/(\d+)/"', page))]


def test_elections_sort(client: Client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    early = Election.objects.create(state_id="KZ", kind="presidential", date=datetime.date(2022, 11, 20))
    late = Election.objects.create(state_id="KZ", kind="parliamentary", date=datetime.date(2023, 3, 19))
    assert _elections(client.get("/elections/").content.decode()) == [late.pk, early.pk]  # latest first
    for sort, expected in [("-date", [late, early]), ("date", [early, late])]:
        ids = [election.pk for election in expected]
        assert _elections(client.get(f"/elections/?sort={sort}").content.decode()) == ids, sort
        assert [int(pk) for pk in _csv(client, f"/elections/?sort={sort}&format=csv", "id")] == ids, sort
        api = APIClient().get("/api/v1/elections/", {"sort": sort}).json()
        assert [row["id"] for row in api["results"]] == ids, sort
    assert client.get("/elections/?sort=turnout").status_code == 400
    assert APIClient().get("/api/v1/elections/", {"sort": "turnout"}).status_code == 400


def test_the_empty_choices_say_any(client: Client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/elections/").content.decode()
    empties = re.findall(r'<option value=""[^>]*>([^<]*)</option>', page)
    assert empties and set(empties) <= {"any", "default order"}, empties
