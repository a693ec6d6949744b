"""A field operation's page (issue 11 part 3): the elections in its host State, sources as citations."""

from __future__ import annotations

import datetime

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from elections.models import Election
from missions.models import FieldOperation
from missions.views import PROJECTS_SHOWN
from tests.missions.factories import DimensionFactory, FieldOperationFactory, ProjectFactory


def test_the_page_lists_the_elections_in_the_host_state(client: Client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperation.objects.get(slug="programme-office-in-astana")
    here = Election.objects.create(
        state_id=operation.host_state_id, kind=Election.Kind.PRESIDENTIAL, date=datetime.date(2022, 11, 20)
    )
    elsewhere = Election.objects.create(
        state_id="RS", kind=Election.Kind.PRESIDENTIAL, date=datetime.date(2022, 4, 3)
    )
    page = client.get(operation.get_absolute_url()).content.decode()
    assert "Elections in Kazakhstan" in page
    assert f'href="/elections/{here.pk}/"' in page
    assert f'href="/elections/{elsewhere.pk}/"' not in page


def test_an_operation_with_no_host_state_has_no_elections_section(client: Client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/missions/mission-in-kosovo/").content.decode()
    assert "operation-elections-heading" not in page


def test_sources_are_a_citation_list_with_links(client: Client, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperation.objects.get(slug="programme-office-in-astana")
    keys = [key for key in operation.source.split(";") if key]
    page = client.get(operation.get_absolute_url()).content.decode()
    assert operation.source not in page  # never the raw keys (S12;S26)
    assert '<section class="sources"' in page
    for key in keys:
        assert f'id="source-{key}"' in page
    assert 'rel="noopener noreferrer"' in page


def cold_queries(client: Client, url: str) -> list[str]:
    """The statements of the page rendered afresh (its fragments and the kept page emptied)."""
    for alias in ("fragments", "pages"):
        caches[alias].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


def test_the_page_shows_the_most_recent_projects_and_links_to_all(client: Client, db: None) -> None:
    """Hundreds of projects are not one table on the page (270 KB at scale 100): the newest
    ``PROJECTS_SHOWN``, how many there are, and the projects list filtered to the operation."""
    operation = FieldOperationFactory(name="Mission to Manyprojects")
    dimension = DimensionFactory()
    other = ProjectFactory(title="Somebody else's project", dimension=dimension)
    projects = [
        ProjectFactory(field_operation=operation, dimension=dimension, title=f"Many {n:03}")
        for n in range(PROJECTS_SHOWN + 2)
    ]
    url = operation.get_absolute_url()
    page = client.get(url).content.decode()
    shown = [project for project in projects if f'href="{project.get_absolute_url()}"' in page]
    assert shown == projects[2:]  # the newest (created last)
    assert f"The {PROJECTS_SHOWN} most recent of {PROJECTS_SHOWN + 2} projects." in page
    link = f"/projects/?field_operation={operation.slug}"
    assert f'href="{link}"' in page
    listed = client.get(link).content.decode()
    assert projects[-1].title in listed and other.title not in listed
    french = client.get(url, headers={"Accept-Language": "fr"}).content.decode()
    assert f"Les {PROJECTS_SHOWN} plus récents sur {PROJECTS_SHOWN + 2} projets." in french
    # As many statements with ten times the projects.
    before = len(cold_queries(client, url))
    ProjectFactory.create_batch(10 * PROJECTS_SHOWN, field_operation=operation, dimension=dimension)
    statements = cold_queries(client, url)
    assert len(statements) == before
    rows = [sql for sql in statements if 'FROM "missions_project"' in sql and "COUNT(" not in sql]
    assert rows and all(f"LIMIT {PROJECTS_SHOWN + 1}" in sql for sql in rows)  # never every project
    assert len(client.get(url).content) < len(page) + 2000  # the page does not grow with them


def test_a_few_projects_are_all_shown_without_a_note(client: Client, db: None) -> None:
    operation = FieldOperationFactory(name="Mission to Fewprojects")
    projects = ProjectFactory.create_batch(3, field_operation=operation)
    page = client.get(operation.get_absolute_url()).content.decode()
    assert all(f'href="{project.get_absolute_url()}"' in page for project in projects)
    assert "most recent of" not in page and "?field_operation=" not in page
