"""State and Partner codes are read in any case, in addresses and in filters (contract §5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import make_state
from tests.states.factories import DelegationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["at", "At", "aT"])
def test_a_state_address_in_any_case_answers_as_the_upper_case_one(
    api: APIClient, austria: Any, code: str
) -> None:
    upper = api.get("/api/v1/states/AT/")
    response = api.get(f"/api/v1/states/{code}/")
    assert response.status_code == 200
    assert response.json() == upper.json()
    assert response.json()["url"].endswith("/api/v1/states/AT/")


def test_former_states_partners_and_delegations_in_lower_case(
    api: APIClient, austria: Any, japan: Any
) -> None:
    make_state("SUHH", "Union of Soviet Socialist Republics", iso_alpha3="SUN")
    assert api.get("/api/v1/states/suhh/").json()["code"] == "SUHH"
    assert api.get("/api/v1/partners/jp/").json()["code"] == "JP"
    DelegationFactory(state=austria)
    assert api.get("/api/v1/delegations/at/").json()["state"] == "AT"
    assert api.get("/api/v1/states/xx/").status_code == 404


def test_state_filters_accept_lower_case(api: APIClient, austria: Any) -> None:
    for url in (
        "/api/v1/elections/?state=at",
        "/api/v1/field-operations/?host_state=at",
        "/api/v1/projects/?state=at",
        "/api/v1/vacancies/?fields=reference",
    ):
        assert api.get(url).status_code == 200, url
    assert api.get("/api/v1/elections/?state=zz").status_code == 400


def test_the_state_page_in_lower_case_leads_to_the_upper_case_one(client: Client, austria: Any) -> None:
    response = client.get("/states/at/")
    assert response.status_code in (200, 301, 302)
    if response.status_code != 200:
        assert response["Location"].endswith("/states/AT/")
        assert client.get(response["Location"]).status_code == 200
