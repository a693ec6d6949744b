"""HR creates and edits projects in the pages (issue 11 part 3): ``project_update`` and its doors."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from core.errors import Invalid, NotAllowed
from core.models import AuditEntry
from missions import services
from missions.models import Project
from tests.missions.factories import BodyFactory, FieldOperationFactory, ProjectFactory


def test_project_update_changes_what_is_given_and_audits_it(alice, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(budget_eur=Decimal("1000.00"))
    services.project_update(actor=alice, project=project, budget_eur="2500.50", status="ongoing")
    project.refresh_from_db()
    assert (project.budget_eur, project.status) == (Decimal("2500.50"), "ongoing")
    entry = AuditEntry.objects.filter(action="project.updated").get()
    assert entry.data == {"budget_eur": "2500.50", "status": "ongoing"}


def test_project_update_keeps_the_rules(alice, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    with pytest.raises(Invalid):
        services.project_update(actor=alice, project=project, budget_eur="0")
    with pytest.raises(Invalid):
        services.project_update(actor=alice, project=project, body=BodyFactory())  # two implementers
    with pytest.raises(Invalid):
        services.project_update(actor=alice, project=project, field_operation=None)  # none
    with pytest.raises(Invalid):
        services.project_update(
            actor=alice, project=project, starts=datetime.date(2026, 5, 1), ends=datetime.date(2026, 4, 1)
        )
    with pytest.raises(Invalid):
        services.project_update(actor=alice, project=project, status="dreamt")
    with pytest.raises(Invalid):
        services.project_update(actor=alice, project=project, pledged_eur="1")  # not a field one sets


def test_only_hr_manages_projects(bob, dave, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    for user in (bob, dave):
        with pytest.raises(NotAllowed):
            services.project_update(actor=user, project=project, title="Mine")


def test_hr_creates_a_project_in_the_page(client: Client, alice, db, dimensions) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperationFactory()
    client.force_login(alice)
    assert "New project" in client.get("/projects/").content.decode()
    response = client.post(
        "/projects/new/",
        {"title": "Border training", "field_operation": operation.slug, "dimension": "human",
         "budget_eur": "250000", "status": "submitted"},
    )  # fmt: skip
    project = Project.objects.get(title="Border training")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.field_operation == operation and project.budget_eur == Decimal("250000.00")


def test_a_refused_project_shows_the_form_with_the_message(client: Client, alice, db, dimensions) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    response = client.post(
        "/projects/new/",
        {"title": "Nobody's", "dimension": "human", "budget_eur": "100", "status": "submitted"},
    )
    assert response.status_code == 400
    assert "Name either the field operation or the institution" in response.content.decode()
    assert not Project.objects.filter(title="Nobody's").exists()


def test_hr_edits_a_project_in_the_page(client: Client, alice, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(title="Old title")
    client.force_login(alice)
    page = client.get(f"/projects/{project.pk}/edit/").content.decode()
    assert 'value="Old title"' in page
    data = {
        "title": "New title",
        "field_operation": project.field_operation.slug,
        "dimension": project.dimension_id,
        "budget_eur": "123",
        "status": "completed",
    }
    assert client.post(f"/projects/{project.pk}/edit/", data).status_code == 302
    project.refresh_from_db()
    assert (project.title, project.budget_eur, project.status) == (
        "New title",
        Decimal("123.00"),
        "completed",
    )
    assert client.post("/projects/999999/edit/", data).status_code == 404


def test_others_get_no_project_forms(client: Client, bob, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    assert client.get("/projects/new/").status_code == 302  # log in first
    client.force_login(bob)
    assert client.get("/projects/new/").status_code == 403
    assert client.get(f"/projects/{project.pk}/edit/").status_code == 403
    assert "Edit project" not in client.get(project.get_absolute_url()).content.decode()
