"""A focal point edits its own State's permanent mission (issue 11 part 3); another State's: 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from core.errors import NotAllowed, NotVisible
from core.models import AuditEntry
from states import services
from states.models import Delegation, State


@pytest.fixture
def mission(austria: State) -> Delegation:
    return Delegation.objects.get_or_create(state=austria)[0]


def test_the_focal_point_edits_its_state_s_mission(client: Client, bob: Any, mission: Delegation) -> None:
    client.force_login(bob)
    assert "Edit the permanent mission" in client.get("/states/AT/").content.decode()
    response = client.post(
        "/states/at/delegation/",
        {"head_name": " Anna Beispiel ", "head_title": "Ambassador", "address": "Zelinkagasse 2, Wien"},
    )
    assert response.status_code == 302 and response["Location"] == "/states/AT/"
    mission.refresh_from_db()
    assert (mission.head_name, mission.head_title) == ("Anna Beispiel", "Ambassador")
    assert "Anna Beispiel" in client.get("/states/AT/").content.decode()
    entry = AuditEntry.objects.filter(action="delegation.updated").get()
    assert entry.data["head_name"] == "Anna Beispiel"


def test_another_state_s_focal_point_gets_404(client: Client, carol: Any, mission: Delegation) -> None:
    with pytest.raises(NotVisible):
        services.delegation_update(actor=carol, delegation=mission, head_name="X", head_title="", address="")
    client.force_login(carol)
    assert client.get("/states/AT/delegation/").status_code == 404
    assert client.post("/states/AT/delegation/", {"head_name": "X"}).status_code == 404
    assert "Edit the permanent mission" not in client.get("/states/AT/").content.decode()
    mission.refresh_from_db()
    assert mission.head_name == ""


def test_hr_and_others_may_not(client: Client, alice: Any, dave: Any, mission: Delegation) -> None:
    for user in (alice, dave):
        with pytest.raises(NotAllowed):
            services.delegation_update(
                actor=user, delegation=mission, head_name="X", head_title="", address=""
            )
        client.force_login(user)
        assert client.get("/states/AT/delegation/").status_code == 403
    client.logout()
    assert client.get("/states/AT/delegation/").status_code == 302  # log in first


def test_too_long_is_shown_on_the_form(client: Client, bob: Any, mission: Delegation) -> None:
    client.force_login(bob)
    response = client.post("/states/AT/delegation/", {"head_name": "x" * 151})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode() or "at most 150" in response.content.decode()
