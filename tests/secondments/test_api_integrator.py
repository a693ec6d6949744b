"""The integrator's API on the secondment cycle: field selection (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from secondments.models import Vacancy
from tests.secondments.test_api import nominate

pytestmark = pytest.mark.django_db


def _sql(client: Any, url: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [query["sql"] for query in queries]


def test_fields_select_the_answer_on_list_and_detail(api: Any, vacancy: Vacancy) -> None:
    body = api.get("/api/v1/vacancies/?fields=reference,deadline").json()
    assert body["count"] == 1
    assert body["results"] == [{"reference": vacancy.reference, "deadline": vacancy.deadline.isoformat()}]
    detail = api.get(f"/api/v1/vacancies/{vacancy.reference}/?fields=title, status&fields=url").json()
    assert set(detail) == {"url", "title", "status"}
    assert detail["status"] == "open"


def test_unknown_field_is_400_naming_it(api: Any, vacancy: Vacancy) -> None:
    response = api.get("/api/v1/vacancies/?fields=reference,salary")
    assert response.status_code == 400
    message = response.json()["fields"][0]
    assert "salary" in message and "reference" in message  # names the unknown one and the choices
    assert api.get(f"/api/v1/vacancies/{vacancy.reference}/?fields=nope").status_code == 400
    assert api.get("/api/v1/vacancies/?fields=,").status_code == 400


def test_a_narrow_vacancy_request_joins_nothing(api: Any, vacancy: Vacancy) -> None:
    response, sql = _sql(api, "/api/v1/vacancies/?fields=reference,title,status")
    assert response.status_code == 200
    page = sql[-1]
    assert "JOIN" not in page.upper(), page
    response, sql = _sql(api, "/api/v1/vacancies/?fields=reference,field_operation")
    assert response.json()["results"][0]["field_operation"] == vacancy.field_operation.slug
    assert "missions_fieldoperation" in sql[-1] and "states_dimension" not in sql[-1]


def test_a_narrow_nomination_request_skips_the_history_query(
    api_as: Any, alice: Any, bob: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    nominate(api_as(bob), vacancy.reference)
    client = api_as(alice)
    client.get("/api/v1/nominations/")  # the token's first use records it
    response, full = _sql(client, "/api/v1/nominations/")
    assert response.json()["results"][0]["history"]
    response, narrow = _sql(client, "/api/v1/nominations/?fields=id,status,state,candidate")
    assert response.status_code == 200
    assert set(response.json()["results"][0]) == {"id", "status", "state", "candidate"}
    # The history prefetch (one query) is not run when history is not asked for.
    assert len(narrow) == len(full) - 1
    assert not any("nominationchange" in query for query in narrow)
