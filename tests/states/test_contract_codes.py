"""Contract §5: State codes are upper-case; a client asking with a lower-case code still finds it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import make_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/states/at/", "/api/v1/states/At/", "/api/v1/delegations/at/"])
def test_lower_case_state_code_finds_the_state(api: APIClient, path: str) -> None:
    from states.models import Delegation

    austria = make_state("AT", "Austria", iso_alpha3="AUT")
    Delegation.objects.get_or_create(state=austria)
    response = api.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body.get("code", body.get("state")) == "AT"
    assert body["url"].endswith("/AT/")


def test_lower_case_partner_code(api: APIClient) -> None:
    from states.models import Partner

    Partner.objects.create(code="JP", name="Japan", group="asian", since=1992)
    response = api.get("/api/v1/partners/jp/")
    assert response.status_code == 200
    assert response.json()["code"] == "JP"


def test_unknown_code_is_404(api: APIClient) -> None:
    assert api.get("/api/v1/states/xx/").status_code == 404
