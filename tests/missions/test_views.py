"""The pages of field operations and projects."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from missions.models import FieldOperation, Pledge, Project
from tests.missions.factories import (
    FieldOperationFactory,
    FiguresFactory,
    HeadFactory,
    MandateEventFactory,
    PledgeFactory,
    ProjectFactory,
    StateFactory,
)


def _login(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def test_list_groups_by_region(client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/missions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    for label in (
        "South-Eastern Europe",
        "Eastern Europe",
        "South Caucasus",
        "Central Asia",
        "Baltic States",
    ):
        assert label in html
    assert html.index("South-Eastern Europe") < html.index("Central Asia")
    assert "Special Monitoring Mission to Ukraine" in html
    assert 'scope="col"' in html and "<caption" in html


def test_list_filters_without_javascript(client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/missions/", {"region": "baltic"})
    html = response.content.decode()
    assert "Mission to Estonia" in html
    assert "Mission to Moldova" not in html
    assert 'data-count="2"' in html
    response = client.get("/missions/", {"as_of": "2015-01-01", "status": "", "host_state": "UA"})
    html = response.content.decode()
    assert "Special Monitoring Mission to Ukraine" in html
    assert ">Mission to Ukraine<" not in html  # closed in 1999


def test_list_invalid_filter_is_400_with_message(client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/missions/", {"region": "mars", "as_of": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters are not valid" in html
    assert "Enter a valid date." in html


def test_fetch_request_gets_the_results_region_only(client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/missions/", {"region": "baltic"}, headers={"X-Requested-With": "fetch"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Mission to Latvia" in html
    assert response["Vary"].count("X-Requested-With") == 1


@pytest.mark.parametrize("rows", [1, 30])
def test_list_queries_are_constant(client, db, django_assert_num_queries, rows) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rows):
        operation = FieldOperationFactory()
        HeadFactory(operation=operation)
        FieldOperationFactory(predecessor=operation)
    # A miss of the page's fragments (each test starts with new table versions): 1 the tables'
    # versions (the fragments' key); 1 operations with host State and predecessor joined (the
    # table shows nothing else); the filter form's choices: 1 for host States, 1 for dimensions;
    # one count per facet (region, host State, dimension). A hit: tests/missions/test_page_cache.py.
    with django_assert_num_queries(7):
        response = client.get("/missions/")
    assert response.status_code == 200


def test_detail_shows_overview_figures_timeline_projects(client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperation.objects.get(slug="programme-office-in-astana")
    FiguresFactory(operation=operation, as_of=datetime.date(2023, 1, 1), local_staff=20)
    FiguresFactory(operation=operation, as_of=datetime.date(2024, 1, 1), local_staff=25)
    MandateEventFactory(operation=operation, date=datetime.date(2024, 12, 19), decision="PC.DEC/1999")
    HeadFactory(operation=operation, name="Volker Frobarth")
    project = ProjectFactory(field_operation=operation, title="Water management in the Aral basin")
    response = client.get("/missions/programme-office-in-astana/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "Kazakhstan" in html
    assert "Centre in Almaty" in html and "Centre in Astana" in html  # the chain of names
    assert "<svg" in html and 'role="img"' in html and "<title" in html
    assert "PC.DEC/1999" in html
    assert "Volker Frobarth" in html
    assert project.title in html
    assert "Record figures" not in html  # HR only


def test_kosovo_detail_has_no_host_state(client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/missions/mission-in-kosovo/").content.decode()
    assert "Task Force for Kosovo" in html
    assert "PC.DEC/305" in html


def test_detail_unknown_is_404(client, db) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/missions/nowhere/").status_code == 404


def test_detail_queries_do_not_grow_with_figures_and_projects(
    client, db, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperationFactory()
    for year in range(2000, 2020):
        FiguresFactory(operation=operation, as_of=datetime.date(year, 1, 1))
        PledgeFactory(project=ProjectFactory(field_operation=operation))
    with django_assert_max_num_queries(14):
        assert client.get(operation.get_absolute_url()).status_code == 200


def test_hr_records_figures_from_the_page(client, alice, db) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperationFactory()
    _login(client, alice)
    assert "Record figures" in client.get(operation.get_absolute_url()).content.decode()
    response = client.post(
        f"/missions/{operation.slug}/figures/",
        {
            "as_of": "2025-06-30",
            "offices": "4",
            "international_seconded": "12",
            "international_contracted": "8",
            "local_staff": "140",
            "unified_budget_eur": "12000000",
        },
    )
    assert response.status_code == 302
    figures = operation.figures.get()
    assert figures.total_staff == 160
    bad = client.post(f"/missions/{operation.slug}/figures/", {"as_of": "x", "local_staff": "-1"})
    assert bad.status_code == 400


def test_others_cannot_record_figures(client, bob, db) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperationFactory()
    assert client.post(f"/missions/{operation.slug}/figures/", {}).status_code == 302  # to the login
    _login(client, bob)
    assert client.post(f"/missions/{operation.slug}/figures/", {}).status_code == 403


# --- projects ---------------------------------------------------------------------------------


def test_project_list_and_detail(client, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(title="Police reform", budget_eur=Decimal("1000"))
    PledgeFactory(project=project, amount_eur=Decimal("250"), state=StateFactory(code="AT", name="Austria"))
    html = client.get("/projects/").content.decode()
    assert "Police reform" in html and "<progress" in html and "25%" in html
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Austria" in html and "25%" in html
    assert "log in" in html
    assert client.get("/projects/999999/").status_code == 404
    assert client.get("/projects/", {"status": "nope"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 30])
def test_project_list_queries_are_constant(client, db, django_assert_num_queries, rows) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rows):
        PledgeFactory(project=ProjectFactory())
    # 1 count (paginator), 1 page of projects with operation, body and dimension, 1 prefetch of
    # pledges with States; the filter form's choices: dimensions, operations, bodies, States; one
    # count per facet (status, dimension).
    with django_assert_num_queries(9):
        assert client.get("/projects/").status_code == 200


def test_focal_point_pledges_from_the_page(client, bob, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    _login(client, bob)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Pledge funds of Austria" in html
    response = client.post(f"/projects/{project.pk}/pledge/", {"amount_eur": "1000", "note": "ok"})
    assert response.status_code == 302
    assert Pledge.objects.get().state_id == "AT"


@pytest.mark.parametrize(
    ("amount", "message"), [("0", "more than zero"), ("-5", "more than zero"), ("abc", "Enter an amount")]
)
def test_page_refuses_bad_amounts_with_a_message(client, bob, db, amount, message) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    _login(client, bob)
    response = client.post(f"/projects/{project.pk}/pledge/", {"amount_eur": amount})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Pledge.objects.exists()


def test_page_pledge_to_a_cancelled_project_is_409(client, bob, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(status=Project.Status.CANCELLED)
    _login(client, bob)
    response = client.post(f"/projects/{project.pk}/pledge/", {"amount_eur": "10"})
    assert response.status_code == 409
    assert "takes no more pledges" in response.content.decode()


def test_non_focal_points_cannot_pledge_from_the_page(client, dave, alice, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    assert client.post(f"/projects/{project.pk}/pledge/", {"amount_eur": "10"}).status_code == 302
    for user in (dave, alice):
        _login(client, user)
        assert client.post(f"/projects/{project.pk}/pledge/", {"amount_eur": "10"}).status_code == 403
    assert not Pledge.objects.exists()


def test_hr_records_a_receipt_from_the_page(client, alice, bob, db) -> None:  # type: ignore[no-untyped-def]
    pledge = PledgeFactory(date=datetime.date(2026, 1, 1))
    _login(client, alice)
    html = client.get(f"/projects/{pledge.project_id}/").content.decode()
    assert "Record receipt" in html
    url = f"/projects/{pledge.project_id}/pledges/{pledge.pk}/receipt/"
    assert client.post(url, {"received": "2025-12-31"}).status_code == 400  # before the pledge
    assert client.post(url, {"received": "2026-02-01", "amount_eur": "abc"}).status_code == 400
    assert client.post(url, {"received": "2026-02-01"}).status_code == 302
    pledge.refresh_from_db()
    assert pledge.received == datetime.date(2026, 2, 1)
    _login(client, bob)
    assert client.post(url, {"received": "2026-02-01"}).status_code == 403


def test_home_page_counts_active_operations(client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/").content.decode()
    assert 'href="/missions/"' in html


def test_other_apps_add_sections_to_the_detail_page(client, db, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    from missions.sections import register_section, unregister_section

    (tmp_path / "extra_section.html").write_text(
        "<section><h2>Open vacancies</h2>{{ section.count }}</section>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    operation = FieldOperationFactory()
    register_section(order=10, template_name="extra_section.html", context=lambda op, request: {"count": 7})
    try:
        html = client.get(operation.get_absolute_url()).content.decode()
    finally:
        unregister_section("extra_section.html")
    assert "<h2>Open vacancies</h2>7</section>" in html
