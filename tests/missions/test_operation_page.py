"""A field operation's page (issue 11 part 3): the elections in its host State, sources as citations."""

from __future__ import annotations

import datetime

from django.test import Client

from elections.models import Election
from missions.models import FieldOperation


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
