"""What secondments adds to other apps' pages: open vacancies on an operation's page, and a
State's nomination figures (counts only, never names) on the State's page."""

from __future__ import annotations

from typing import Any

import pytest
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
    with django_assert_max_num_queries(30) as one:
        client.get(f"/missions/{operation.slug}/")
    for _ in range(10):
        VacancyFactory(field_operation=operation)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/missions/{operation.slug}/")


def test_state_page_shows_counts_not_candidates(client: Client, austria: Any, bob: Any) -> None:
    selected = NominationFactory(status=Nomination.Status.SELECTED, family_name="Privatperson")
    NominationFactory(vacancy=selected.vacancy)
    response = client.get("/states/AT/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="state-nominations-heading"' in html
    figures = response.context["nominations"]
    assert (figures["total"], figures["selected"]) == (2, 1)
    assert "Privatperson" not in html and selected.email not in html
