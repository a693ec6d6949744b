"""Pages: the list and its calendar, an election with its timeline and offers, the calendar feed."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.home import counters
from elections import services
from elections.models import ObserverOffer
from tests.conftest import make_pdf
from tests.elections.factories import (
    ActivityFactory,
    ElectionFactory,
    OfferFactory,
    RecommendationFactory,
    ReportFactory,
    days,
)

pytestmark = pytest.mark.django_db


def test_list_page(client, election, eom):
    response = client.get("/elections/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html and html.count("<h1") == 1
    assert "Georgia" in html
    assert f"/elections/{election.pk}/" in html
    assert "<caption" in html and 'scope="col"' in html


def test_list_page_filters(client, georgia, austria):
    ge = ElectionFactory(state=georgia, date=datetime.date(2021, 10, 2))
    at = ElectionFactory(state=austria, kind="presidential", date=datetime.date(2022, 10, 9))
    html = client.get("/elections/?state=GE").content.decode()
    assert f"/elections/{ge.pk}/" in html and f"/elections/{at.pk}/" not in html
    html = client.get("/elections/?year=2022&kind=presidential").content.decode()
    assert f"/elections/{at.pk}/" in html and f"/elections/{ge.pk}/" not in html


def test_list_page_bad_filter_shows_error(client, election):
    response = client.get("/elections/?year=abc&upcoming=maybe")
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_list_page_constant_queries(client, georgia, django_assert_num_queries):
    def build(n: int) -> None:
        for _ in range(n):
            eom = ActivityFactory(election=ElectionFactory(state=georgia))
            OfferFactory(activity=eom)
            RecommendationFactory(report=ReportFactory(activity=eom))

    build(1)
    # The State filter's choices + count + page of elections (State joined) + 4 prefetches
    # (activities with offered sums, reports, recommendations, their rating history) + one count
    # per facet (State, kind).
    with django_assert_num_queries(9):
        client.get("/elections/")
    build(20)
    with django_assert_num_queries(9):
        client.get("/elections/")


def test_calendar_view(client, georgia):
    election = ElectionFactory(state=georgia, date=datetime.date(2027, 3, 14))
    ActivityFactory(election=election, opened=datetime.date(2027, 2, 1), closed=datetime.date(2027, 3, 25))
    response = client.get("/elections/?view=calendar&month=2027-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert "March 2027" in html
    assert f"/elections/{election.pk}/" in html
    assert "EOM closes" in html
    assert "month=2027-02" in html and "month=2027-04" in html


def test_calendar_bad_month(client, db):
    assert client.get("/elections/?view=calendar&month=2027-13").status_code == 400


def test_detail_page_timeline_reports_recommendations(client, election, eom):
    nam = ActivityFactory(
        election=election,
        kind="NAM",
        lto_requested=0,
        sto_requested=0,
        opened=days(-30),
        recommended_deployment="EOM",
    )
    ReportFactory(activity=nam, kind="needs-assessment", published=days(-20), title="NAM report")
    services.report_add(
        actor=None,
        activity=eom,
        kind="interim",
        published=days(0),
        title="Interim report 1",
        file=SimpleUploadedFile("i.pdf", make_pdf(), content_type="application/pdf"),
    )
    final = ReportFactory(activity=eom, title="The final report")
    RecommendationFactory(report=final, text="Adopt a new election code.")
    response = client.get(f"/elections/{election.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Timeline",
        "Needs-assessment mission",
        "Election day",
        "Statement of preliminary findings",
        "Final report",
        "NAM report",
        "The final report",
        "Adopt a new election code.",
        "30 / 0",
    ):
        assert text in html, text
    # Anonymous visitors see totals but no offers per State nor the form.
    assert "Observers offered per State" not in html
    assert "Offer observers" not in html


def test_report_pdf_is_public(client, eom):
    report = services.report_add(
        actor=None,
        activity=eom,
        kind="interim",
        published=days(0),
        title="Interim",
        file=SimpleUploadedFile("i.pdf", make_pdf(), content_type="application/pdf"),
    )
    response = client.get(f"/elections/reports/{report.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    link_only = ReportFactory(activity=eom)
    assert client.get(f"/elections/reports/{link_only.pk}/file/").status_code == 404


def test_hr_sees_offers_per_state(client, alice, bob, carol, election, eom):
    OfferFactory(activity=eom, state=bob.focal_point.state, lto=2, sto=9)
    OfferFactory(activity=eom, state=carol.focal_point.state, lto=1, sto=4)
    client.force_login(alice)
    html = client.get(f"/elections/{election.pk}/").content.decode()
    assert "Observers offered per State" in html
    assert "Austria" in html and "Germany" in html


def test_focal_point_sees_only_own_offers_and_form(client, bob, carol, election, eom):
    OfferFactory(activity=eom, state=bob.focal_point.state, lto=2, sto=9, note="Austrian team")
    OfferFactory(activity=eom, state=carol.focal_point.state, lto=1, sto=4, note="German team")
    client.force_login(bob)
    html = client.get(f"/elections/{election.pk}/").content.decode()
    assert "Austrian team" in html
    assert "German team" not in html
    assert "Observers offered per State" not in html
    assert "Offer observers" in html
    offers_page = client.get("/elections/offers/").content.decode()
    assert "Austria" in offers_page and "Germany" not in offers_page


def test_focal_point_offers_through_the_page(client, bob, election, eom):
    client.force_login(bob)
    response = client.post(f"/elections/activities/{eom.pk}/offer/", {"lto": "2", "sto": "8", "note": ""})
    assert response.status_code == 302
    offer = ObserverOffer.objects.get()
    assert (offer.state_id, offer.lto, offer.sto) == ("AT", 2, 8)


def test_page_refuses_negative_numbers(client, bob, election, eom):
    client.force_login(bob)
    response = client.post(f"/elections/activities/{eom.pk}/offer/", {"lto": "-2", "sto": "8"})
    assert response.status_code == 400
    assert "zero or more" in response.content.decode()
    assert not ObserverOffer.objects.exists()


def test_page_refuses_host_state(client, georgian_focal_point, election, eom):
    client.force_login(georgian_focal_point)
    html = client.get(f"/elections/{election.pk}/").content.decode()
    assert "Your State hosts this election" in html
    response = client.post(f"/elections/activities/{eom.pk}/offer/", {"lto": "1", "sto": "1"})
    assert response.status_code == 400
    assert "host State may not offer" in response.content.decode()


def test_page_refuses_after_deployment_started(client, bob, started_eom):
    client.force_login(bob)
    response = client.post(f"/elections/activities/{started_eom.pk}/offer/", {"lto": "1", "sto": "1"})
    assert response.status_code == 409
    assert "offers closed" in response.content.decode()


def test_offer_page_needs_a_focal_point(client, alice, dave, eom):
    response = client.post(f"/elections/activities/{eom.pk}/offer/", {"lto": "1"})
    assert response.status_code == 302  # to the login page
    client.force_login(dave)
    assert client.post(f"/elections/activities/{eom.pk}/offer/", {"lto": "1"}).status_code == 403
    assert client.get("/elections/offers/").status_code == 403


def test_state_open_recommendations(client, election, eom):
    report = ReportFactory(activity=eom)
    open_rec = services.recommendation_add(actor=None, report=report, text="Still open.")
    done = services.recommendation_add(actor=None, report=report, text="Done already.")
    services.recommendation_assess(
        actor=None,
        recommendation=done,
        status="fully",
        assessed_on=report.published + datetime.timedelta(days=10),
    )
    html = client.get("/elections/recommendations/GE/").content.decode()
    assert open_rec.text in html
    assert done.text not in html
    assert client.get("/elections/recommendations/ZZ/").status_code == 404


def test_unknown_election_404(client, db):
    assert client.get("/elections/424242/").status_code == 404


def test_demo_elections_are_marked(client, georgia):
    demo = ElectionFactory(state=georgia, is_demo=True)
    assert "[DEMO]" in client.get("/elections/").content.decode()
    assert "[DEMO]" in client.get(f"/elections/{demo.pk}/").content.decode()


def test_home_counter(client, election):
    assert any(counter.url_name == "elections:list" for counter in counters())
    html = client.get("/").content.decode()
    assert "upcoming elections" in html


# --- the calendar feed -----------------------------------------------------------------------------


def test_calendar_feed_is_valid_rfc5545(client, georgia):
    upcoming = ElectionFactory(state=georgia, kind="presidential", date=days(30))
    past = ElectionFactory(state=georgia, date=days(-300))
    eom = ActivityFactory(
        election=upcoming,
        opened=days(-5),
        head="Ambassador Ünal Çelik; with a very long name, to force folding of this line beyond 75 octets",
    )
    ActivityFactory(election=past, opened=days(-340), closed=days(-280))
    response = client.get("/elections/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    # CRLF everywhere, and no line longer than 75 octets.
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long description was folded
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        f"election-{upcoming.pk}@elections.osce-portal",
        f"activity-{eom.pk}@elections.osce-portal",
    }
    day = events[f"election-{upcoming.pk}@elections.osce-portal"]
    assert day["DTSTART"].dt == upcoming.date
    assert day["DTSTART"].params["VALUE"] == "DATE"
    assert day["DTSTAMP"]
    deployment = events[f"activity-{eom.pk}@elections.osce-portal"]
    assert deployment["DTSTART"].dt == eom.opened
    assert "Ünal Çelik; with a very long name" in str(deployment["DESCRIPTION"])
    # The escaped semicolon survives the round trip.
    assert b"\\;" in body
    # UIDs are stable between two downloads.
    again = icalendar.Calendar.from_ical(client.get("/elections/calendar.ics").content)
    assert {str(event["UID"]) for event in again.walk("VEVENT")} == set(events)


def test_calendar_feed_empty_is_valid(client, db):
    calendar = icalendar.Calendar.from_ical(client.get("/elections/calendar.ics").content)
    assert calendar.walk("VEVENT") == []


@pytest.mark.parametrize(
    "path",
    [
        "/elections/?page=abc",
        "/elections/?page=99999",
        "/elections/?state=%00",
        "/elections/?view=calendar&month=abc",
        "/elections/?view=calendar&month=99999-01",
        "/elections/?view=calendar&month=0001-01",
        "/elections/?view=calendar&month=9999-12",
        "/elections/recommendations/%00/",
        "/elections/99999999999999999999/",
    ],
)
def test_odd_page_input_never_5xx(client, election, path):
    assert client.get(path).status_code < 500


def test_calendar_page_constant_queries(client, georgia, django_assert_num_queries):
    made = []

    def build(n: int) -> None:
        for _ in range(n):
            made.append(None)
            election = ElectionFactory(state=georgia, date=datetime.date(2027, 3, len(made)))
            ActivityFactory(
                election=election, opened=datetime.date(2027, 3, 1), closed=datetime.date(2027, 3, 28)
            )

    build(1)
    # The State filter's choices + the month's elections (State joined) + the activities opening or
    # closing in the month (election and State joined) + one count per facet (State, kind).
    with django_assert_num_queries(5):
        client.get("/elections/?view=calendar&month=2027-03")
    build(2)
    with django_assert_num_queries(5):
        client.get("/elections/?view=calendar&month=2027-03")


def test_page_offer_with_named_observers(client, bob, eom):
    client.force_login(bob)
    response = client.post(
        f"/elections/activities/{eom.pk}/offer/",
        {"lto": "1", "sto": "1", "observers": "Anna Huber; lto; de, RU; two EOMs\nMax Muster; sto"},
    )
    assert response.status_code == 302
    offer = ObserverOffer.objects.get()
    observers = list(offer.observers.values_list("name", "role", "languages", "experience"))
    assert observers == [("Anna Huber", "lto", ["de", "ru"], "two EOMs"), ("Max Muster", "sto", [], "")]


@pytest.mark.parametrize("text", ["Anna Huber", "Anna; captain", "Anna; lto; deutsch"])
def test_page_offer_bad_named_observers(client, bob, eom, text):
    client.force_login(bob)
    response = client.post(
        f"/elections/activities/{eom.pk}/offer/", {"lto": "1", "sto": "1", "observers": text}
    )
    assert response.status_code == 400
    assert not ObserverOffer.objects.exists()


def test_state_page_shows_its_elections_and_open_recommendations(client) -> None:  # type: ignore[no-untyped-def]
    from tests.elections.factories import RecommendationFactory

    recommendation = RecommendationFactory()
    state = recommendation.report.activity.election.state
    response = client.get(f"/states/{state.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="state-elections-heading"' in html
    assert f'href="/elections/{recommendation.report.activity.election_id}/"' in html
    assert recommendation.text in html
