"""The admin shows election observation read-only: ODIHR and the focal points do this work in the
portal's pages and API, through the services (so nothing skips a rule, the PDF check, the audit
trail or an event)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from elections.models import Election, ObservationActivity
from tests.elections.factories import OfferFactory, RecommendationFactory, ReportFactory, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


MODELS = (
    "election",
    "observationactivity",
    "observeroffer",
    "report",
    "recommendation",
)


@pytest.mark.parametrize("model", MODELS)
def test_admin_adds_nothing(admin_client, model):
    assert admin_client.get(f"/admin/elections/{model}/add/").status_code == 403


def test_admin_changes_nothing(admin_client, georgia, eom):
    response = admin_client.post(
        f"/admin/elections/election/{eom.election_id}/change/",
        {"state": "GE", "kind": "presidential", "date": days(50).isoformat(), "round": "1", "note": ""},
    )
    assert response.status_code == 403
    assert Election.objects.get().kind == "parliamentary"
    data = {
        "election": str(eom.election_id),
        "kind": "EOM",
        "opened": days(10).isoformat(),
        "sto_requested": "9",
    }
    response = admin_client.post(f"/admin/elections/observationactivity/{eom.pk}/change/", data)
    assert response.status_code == 403
    assert ObservationActivity.objects.get().sto_requested == 300


def test_admin_pages_render(admin_client, eom):
    OfferFactory(activity=eom)
    RecommendationFactory(report=ReportFactory(activity=eom))
    for path in [
        "/admin/elections/election/",
        f"/admin/elections/election/{eom.election_id}/change/",
        "/admin/elections/observationactivity/",
        f"/admin/elections/observationactivity/{eom.pk}/change/",
        "/admin/elections/recommendation/",
        "/admin/elections/observeroffer/",
        "/admin/elections/report/",
    ]:
        assert admin_client.get(path).status_code == 200, path
