"""Contract §6: "any open one -> withdrawn (by its focal point)": PATCH of the status does what
POST .../withdraw/ does; other statuses stay HR's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.secondments.conftest import candidate

pytestmark = pytest.mark.django_db


def nominate(api_as: Any, user: Any, vacancy: Any, code: str = "AT") -> dict[str, Any]:
    url = f"/api/v1/vacancies/{vacancy.reference}/nominations/"
    response = api_as(user).post(url, {"candidate": candidate(code), "motivation": "m"}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_focal_point_withdraws_by_patching_the_status(api_as: Any, bob: Any, vacancy: Any) -> None:
    nomination = nominate(api_as, bob, vacancy)
    response = api_as(bob).patch(
        f"/api/v1/nominations/{nomination['id']}/", {"status": "withdrawn", "reason": "took another post"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "withdrawn"
    assert body["history"][-1]["status"] == "withdrawn"
    assert body["history"][-1]["reason"] == "took another post"
    # Withdrawn is final: doing it again is a conflict.
    again = api_as(bob).patch(f"/api/v1/nominations/{nomination['id']}/", {"status": "withdrawn"})
    assert again.status_code == 409


def test_focal_point_may_not_shortlist(api_as: Any, bob: Any, vacancy: Any) -> None:
    nomination = nominate(api_as, bob, vacancy)
    response = api_as(bob).patch(f"/api/v1/nominations/{nomination['id']}/", {"status": "shortlisted"})
    assert response.status_code == 403


def test_other_state_cannot_withdraw(api_as: Any, bob: Any, carol: Any, vacancy: Any) -> None:
    nomination = nominate(api_as, bob, vacancy)
    response = api_as(carol).patch(f"/api/v1/nominations/{nomination['id']}/", {"status": "withdrawn"})
    assert response.status_code == 404
