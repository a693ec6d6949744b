"""The two offer windows at their boundaries: the day before the last day, the last day itself
(still open) and the day after (409), for an offer, a change and a withdrawal, of LTOs and of STOs.

LTOs are offered until the activity opens (the day before ``opened`` is the last day); STOs until its
``sto_deadline`` (included) or, when there is none, until the day before election day (included).
Today is fixed; the activities are placed around it.
"""

from __future__ import annotations

from typing import Any

import pytest

from elections.models import ObservationActivity, ObserverOffer
from tests.elections.factories import ActivityFactory, ElectionFactory, OfferFactory, days

pytestmark = pytest.mark.django_db

# The last day of the window relative to today: tomorrow (today is the day before), today (the day
# itself) or yesterday (today is the day after).
BOUNDARIES = [
    pytest.param(1, "open", id="the day before"),
    pytest.param(0, "open", id="the day itself"),
    pytest.param(-1, "closed", id="the day after"),
]


def lto_activity(georgia: Any, last_day: int) -> ObservationActivity:
    """LTO window: its last day is the day before ``opened``. The STO window stays open."""
    return ActivityFactory(election=ElectionFactory(state=georgia, date=days(30)), opened=days(last_day + 1))


def sto_activity(georgia: Any, last_day: int) -> ObservationActivity:
    """STO window with an ``sto_deadline``. The LTO window closed long ago (deployment started)."""
    return ActivityFactory(
        election=ElectionFactory(state=georgia, date=days(30)), opened=days(-20), sto_deadline=days(last_day)
    )


def sto_default_activity(georgia: Any, last_day: int) -> ObservationActivity:
    """STO window without a deadline: its last day is the day before election day."""
    return ActivityFactory(
        election=ElectionFactory(state=georgia, date=days(last_day + 1)), opened=days(last_day - 20)
    )


CASES = [
    pytest.param(lto_activity, "lto", id="LTO"),
    pytest.param(sto_activity, "sto", id="STO (sto_deadline)"),
    pytest.param(sto_default_activity, "sto", id="STO (day before election day)"),
]


def _expect(response: Any, window: str, done: int) -> None:
    expected = done if window == "open" else 409
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(("make", "role"), CASES)
@pytest.mark.parametrize(("last_day", "window"), BOUNDARIES)
def test_offer(api_as, bob, georgia, make, role, last_day, window):
    activity = make(georgia, last_day)
    body = {"lto": 0, "sto": 0, role: 3}
    response = api_as(bob).post(
        f"/api/v1/observation-activities/{activity.pk}/observer-offers/", body, format="json"
    )
    _expect(response, window, 201)
    assert ObserverOffer.objects.exists() is (window == "open")
    if window == "closed":
        assert "offers closed" in response.json()["detail"]


@pytest.mark.parametrize(("make", "role"), CASES)
@pytest.mark.parametrize(("last_day", "window"), BOUNDARIES)
def test_change(api_as, bob, georgia, make, role, last_day, window):
    activity = make(georgia, last_day)
    offer = OfferFactory(activity=activity, state=bob.focal_point.state, **{"lto": 0, "sto": 0, role: 3})
    response = api_as(bob).patch(f"/api/v1/observer-offers/{offer.pk}/", {role: 5}, format="json")
    _expect(response, window, 200)
    offer.refresh_from_db()
    assert getattr(offer, role) == (5 if window == "open" else 3)


@pytest.mark.parametrize(("make", "role"), CASES)
@pytest.mark.parametrize(("last_day", "window"), BOUNDARIES)
def test_withdraw(api_as, bob, georgia, make, role, last_day, window):
    activity = make(georgia, last_day)
    offer = OfferFactory(activity=activity, state=bob.focal_point.state, **{"lto": 0, "sto": 0, role: 3})
    response = api_as(bob).delete(f"/api/v1/observer-offers/{offer.pk}/")
    _expect(response, window, 204)
    assert ObserverOffer.objects.filter(pk=offer.pk).exists() is (window == "closed")


@pytest.mark.parametrize(("last_day", "window"), BOUNDARIES)
def test_offer_through_the_page(client, bob, georgia, last_day, window):
    """The page's door gives the same answers at the STO boundary."""
    activity = sto_activity(georgia, last_day)
    client.force_login(bob)
    response = client.post(f"/elections/activities/{activity.pk}/offer/", {"lto": "0", "sto": "4"})
    assert response.status_code == (302 if window == "open" else 409)


def test_a_closed_activity_takes_no_offer_in_either_window(api_as, bob, georgia):
    activity = ActivityFactory(
        election=ElectionFactory(state=georgia, date=days(30)), opened=days(-10), closed=days(0)
    )
    url = f"/api/v1/observation-activities/{activity.pk}/observer-offers/"
    response = api_as(bob).post(
        url, {"lto": 0, "sto": 1}, format="json"
    )  # the STO window alone would be open
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]
