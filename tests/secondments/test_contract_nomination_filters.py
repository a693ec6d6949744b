"""Contract §5: an unknown filter value answers 4xx; `nominations/?vacancy=` names a reference."""

from __future__ import annotations

from typing import Any

import pytest

from tests.secondments.conftest import candidate

pytestmark = pytest.mark.django_db


def test_unknown_vacancy_reference_is_400(api_as: Any, alice: Any) -> None:
    response = api_as(alice).get("/api/v1/nominations/?vacancy=VNNOPE00000")
    assert response.status_code == 400
    assert "vacancy" in response.json()


@pytest.mark.parametrize("reference", ["%s", "100%", "%(x)s", "%d%d"])
def test_unknown_reference_with_percent_signs_is_400_not_500(api_as: Any, alice: Any, reference: str) -> None:
    """Found by fuzzing: the message must not be %-formatted twice."""
    response = api_as(alice).get("/api/v1/nominations/", {"vacancy": reference})
    assert response.status_code == 400
    assert reference.upper() in response.json()["vacancy"][0]


def test_vacancy_filter_by_reference(api_as: Any, alice: Any, bob: Any, make_vacancy: Any) -> None:
    first, second = make_vacancy(), make_vacancy()
    for vacancy, n in ((first, 1), (second, 2)):
        url = f"/api/v1/vacancies/{vacancy.reference}/nominations/"
        body = {"candidate": candidate("AT", n), "motivation": "m"}
        assert api_as(bob).post(url, body, format="json").status_code == 201
    response = api_as(alice).get(f"/api/v1/nominations/?vacancy={first.reference}")
    assert response.status_code == 200
    assert [row["vacancy"] for row in response.json()["results"]] == [first.reference]
    lower = api_as(bob).get(f"/api/v1/nominations/?vacancy={first.reference.lower()}")
    assert lower.json()["count"] == 1


def test_nomination_page_with_unknown_reference_answers(client: Any, alice: Any) -> None:
    client.force_login(alice)
    response = client.get("/nominations/?vacancy=VNNOPE00000")
    assert response.status_code < 500


@pytest.mark.parametrize("path", ["/api/v1/nominations/", "/api/v1/secondments/"])
def test_state_filter_reads_codes_in_any_case(api_as: Any, alice: Any, bob: Any, path: str) -> None:
    upper = api_as(alice).get(path, {"state": "AT"})
    lower = api_as(alice).get(path, {"state": "at"})
    assert upper.status_code == lower.status_code == 200
    assert upper.json() == lower.json()
    assert api_as(alice).get(path, {"state": "XX"}).status_code == 400
