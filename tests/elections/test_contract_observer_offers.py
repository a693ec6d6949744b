"""Contract §6: focal points offer observers to an activity; only the host State may not.

Observers are seconded after the deployment opens (STOs come for the days around the vote), so an
EOM that opened weeks ago still takes offers until election day.
"""

from __future__ import annotations

import pytest

from elections.models import ObserverOffer
from tests.elections.factories import ActivityFactory, ElectionFactory
from tests.elections.test_api import days, offers_url

pytestmark = pytest.mark.django_db


def test_running_eom_takes_offers_and_counts_them(api, api_as, bob, carol, georgia):
    eom = ActivityFactory(election=ElectionFactory(state=georgia, date=days(20)), opened=days(-30))
    response = api_as(bob).post(offers_url(eom), {"lto": 2, "sto": 10}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "AT"
    assert response.json()["lto"] == 2
    detail = api.get(f"/api/v1/observation-activities/{eom.pk}/").json()
    assert (detail["lto_offered"], detail["sto_offered"], detail["offers_open"]) == (2, 10, True)
    # Another State's focal point never sees Austria's offer.
    assert api_as(carol).get(offers_url(eom)).json()["count"] == 0


def test_no_offer_after_election_day(api_as, bob, georgia):
    eom = ActivityFactory(election=ElectionFactory(state=georgia, date=days(-1)), opened=days(-50))
    response = api_as(bob).post(offers_url(eom), {"lto": 1, "sto": 1}, format="json")
    assert response.status_code == 409
    assert not ObserverOffer.objects.exists()
