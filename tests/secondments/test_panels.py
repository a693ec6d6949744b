"""What secondments adds to other apps' pages: open vacancies on an operation's page, and a
State's nomination figures (counts only, never names) on the State's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from secondments.models import Nomination
from tests.secondments.factories import NominationFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def test_operation_page_lists_its_open_vacancies_only(client: Client, operation: Any) -> None:
    open_one = VacancyFactory(field_operation=operation, title="Democratization Officer")
    draft = VacancyFactory(field_operation=operation, title="Secret Draft", status="draft", published=None)
    response = client.get(f"/missions/{operation.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="operation-vacancies-heading"' in html
    assert f'href="/vacancies/{open_one.reference}/"' in html
    assert draft.title not in html


def test_operation_page_queries_do_not_grow_with_vacancies(
    client: Client, operation: Any, django_assert_max_num_queries: Any
) -> None:
    VacancyFactory(field_operation=operation)
    client.get(f"/missions/{operation.slug}/")
    # Both measured requests render the page afresh: its fragments and the whole page are cached
    # per process (a hit reads no vacancy at all, tests/missions/test_page_cache.py), so empty
    # those caches first.
    caches["fragments"].clear()
    caches["pages"].clear()
    with django_assert_max_num_queries(30) as one:
        client.get(f"/missions/{operation.slug}/")
    for _ in range(10):
        VacancyFactory(field_operation=operation)
    caches["fragments"].clear()
    caches["pages"].clear()
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/missions/{operation.slug}/")


def test_state_page_shows_service_to_all_and_counts_to_hr_only(
    client: Client, austria: Any, alice: Any, bob: Any
) -> None:
    """Who serves is public; how many a State nominated this year is HR's and that State's only
    (it tells when a State nominates), and names never appear."""
    selected = NominationFactory(status=Nomination.Status.SELECTED, family_name="Privatperson")
    NominationFactory(vacancy=selected.vacancy)
    response = client.get("/states/AT/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="state-secondment-heading"' in html
    assert response.context["private"] is None and "Nominations this year" not in html
    client.force_login(alice)
    response = client.get("/states/AT/")
    figures = response.context["private"]
    assert (figures["nominated"], figures["selected"]) == (2, 1)
    html = response.content.decode()
    assert "Privatperson" not in html and selected.email not in html
