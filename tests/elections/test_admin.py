"""The admin goes through the services: an election entered there publishes its event."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from core.models import Event
from elections.models import Election, ObservationActivity
from tests.elections.factories import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_election_create_publishes_event(admin_client, georgia):
    response = admin_client.post(
        "/admin/elections/election/add/",
        {"state": "GE", "kind": "presidential", "date": days(50).isoformat(), "round": "1", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    election = Election.objects.get()
    assert Event.objects.get(name="election.created").data["id"] == election.pk


def test_admin_activity_create_and_change(admin_client, election, bob, django_capture_on_commit_callbacks):
    data = {
        "election": str(election.pk),
        "kind": "EOM",
        "head": "Head",
        "opened": days(10).isoformat(),
        "core_team_size": "10",
        "lto_requested": "5",
        "sto_requested": "50",
        "recommended_deployment": "",
        "note": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/elections/observationactivity/add/", data)
    assert response.status_code == 302
    activity = ObservationActivity.objects.get()
    response = admin_client.post(
        f"/admin/elections/observationactivity/{activity.pk}/change/", {**data, "sto_requested": "60"}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.sto_requested == 60


def test_admin_pages_render(admin_client, eom):
    for path in [
        "/admin/elections/election/",
        f"/admin/elections/election/{eom.election_id}/change/",
        "/admin/elections/observationactivity/",
        "/admin/elections/recommendation/",
        "/admin/elections/observeroffer/",
        "/admin/elections/report/",
        "/admin/elections/sentnotification/",
    ]:
        assert admin_client.get(path).status_code == 200, path
