"""The API of election observation, as CONTRACT.md §6 states it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from elections import services
from elections.models import Election, ObservationActivity, ObserverOffer
from tests.conftest import _user, make_state
from tests.elections.factories import (
    ActivityFactory,
    ElectionFactory,
    OfferFactory,
    RecommendationFactory,
    ReportFactory,
    days,
)

pytestmark = pytest.mark.django_db

ELECTIONS = "/api/v1/elections/"
ACTIVITIES = "/api/v1/observation-activities/"


def offers_url(activity: ObservationActivity) -> str:
    return f"{ACTIVITIES}{activity.pk}/observer-offers/"


# --- elections -------------------------------------------------------------------------------


def test_election_fields(api, election, eom):
    OfferFactory(activity=eom, lto=3, sto=20)
    OfferFactory(activity=eom, state=make_state("DE", "Germany"), lto=1, sto=5)
    response = api.get(f"{ELECTIONS}{election.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["url"] == f"http://testserver{ELECTIONS}{election.pk}/"
    assert data["id"] == election.pk
    assert data["state"] == "GE"
    assert data["kind"] == "parliamentary"
    assert data["date"] == election.date.isoformat()
    assert data["round"] == 1
    observation = data["observation"]
    assert observation["url"] == f"http://testserver{ACTIVITIES}{eom.pk}/"
    assert observation["id"] == eom.pk
    assert observation["election"] == election.pk
    assert observation["kind"] == "EOM"
    assert observation["head"] == "Ambassador A. Example"
    assert observation["opened"] == eom.opened.isoformat()
    assert observation["closed"] is None
    assert observation["core_team_size"] == 12
    assert (observation["lto_requested"], observation["sto_requested"]) == (30, 300)
    assert (observation["lto_offered"], observation["sto_offered"]) == (4, 25)
    assert observation["reports"] == []
    assert observation["recommendations"] == []


def test_observation_is_deployment_else_nam_else_null(api, georgia):
    nothing = ElectionFactory(state=georgia)
    nam_only = ElectionFactory(state=georgia)
    ActivityFactory(election=nam_only, kind="NAM", lto_requested=0, sto_requested=0, opened=days(1))
    both = ElectionFactory(state=georgia)
    ActivityFactory(election=both, kind="NAM", lto_requested=0, sto_requested=0, opened=days(1))
    ActivityFactory(election=both, kind="LEOM", opened=days(20))
    results = {row["id"]: row for row in api.get(ELECTIONS).json()["results"]}
    assert results[nothing.pk]["observation"] is None
    assert results[nam_only.pk]["observation"]["kind"] == "NAM"
    assert results[both.pk]["observation"]["kind"] == "LEOM"


def test_second_round_links_first(api, georgia):
    first = ElectionFactory(state=georgia, kind="presidential", date=days(30))
    second = services.election_create(
        actor=None, state=georgia, kind="presidential", date=days(44), round=2, first_round=first
    )
    data = api.get(f"{ELECTIONS}{second.pk}/").json()
    assert data["round"] == 2
    assert data["first_round"] == first.pk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=GE", {"ge-future", "ge-past"}),
        ("state=ge", {"ge-future", "ge-past"}),
        ("year=2020", {"ge-past"}),
        ("kind=presidential", {"am"}),
        ("upcoming=true", {"ge-future", "am"}),
        ("upcoming=false", {"ge-past"}),
        ("observation_kind=EOM", {"ge-future"}),
        ("observation_kind=NAM", {"am"}),
        ("observation_kind=none", {"ge-past"}),
        ("state=GE&upcoming=true", {"ge-future"}),
    ],
)
def test_election_filters(api, georgia, query, expected):
    armenia = make_state("AM", "Armenia", iso_alpha3="ARM")
    names = {}
    names[ElectionFactory(state=georgia, date=days(40)).pk] = "ge-future"
    names[ElectionFactory(state=georgia, date=datetime.date(2020, 10, 31)).pk] = "ge-past"
    names[ElectionFactory(state=armenia, kind="presidential", date=days(90)).pk] = "am"
    ge_future = Election.objects.get(state=georgia, date=days(40))
    ActivityFactory(election=ge_future, kind="NAM", lto_requested=0, sto_requested=0, opened=days(1))
    ActivityFactory(election=ge_future, kind="EOM", opened=days(10))
    ActivityFactory(
        election=Election.objects.get(state=armenia),
        kind="NAM",
        lto_requested=0,
        sto_requested=0,
        opened=days(2),
    )
    response = api.get(f"{ELECTIONS}?{query}")
    assert response.status_code == 200, response.json()
    assert {names[row["id"]] for row in response.json()["results"]} == expected


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=2020.5",
        "upcoming=maybe",
        "kind=municipal",
        "observation_kind=XYZ",
        "state=ZZ",
    ],
)
def test_bad_filter_values_answer_400(api, election, query):
    response = api.get(f"{ELECTIONS}?{query}")
    assert response.status_code == 400
    assert response.json()


@pytest.mark.parametrize("path", ["/api/v1/elections/abc/", "/api/v1/elections/999999999999999999999/"])
def test_unknown_election_404(api, path):
    assert api.get(path).status_code == 404


def test_election_list_constant_queries(api, georgia, django_assert_num_queries):
    def build(n: int) -> None:
        for _ in range(n):
            election = ElectionFactory(state=georgia)
            eom = ActivityFactory(election=election)
            OfferFactory(activity=eom)
            report = ReportFactory(activity=eom)
            RecommendationFactory(report=report)

    build(1)
    # 1 count + 1 page of elections joined to their State + 4 prefetches: activities (offered sums
    # as subqueries), their reports, the reports' recommendations (with topics joined), and the
    # recommendations' rating history.
    with django_assert_num_queries(6):
        assert api.get(ELECTIONS).json()["count"] == 1
    build(20)
    with django_assert_num_queries(6):
        assert api.get(ELECTIONS).json()["count"] == 21


# --- observation activities ----------------------------------------------------------------------


def test_activity_reports_and_recommendations(api, eom):
    report = ReportFactory(activity=eom, title="Final Report")
    ReportFactory(activity=eom, kind="preliminary", title="Statement", published=eom.election.date)
    rec = RecommendationFactory(report=report, text="Publish results by polling station.")
    data = api.get(f"{ACTIVITIES}{eom.pk}/").json()
    assert [r["kind"] for r in data["reports"]] == ["preliminary", "final"]
    assert {"kind", "published", "title"} <= set(data["reports"][0])
    # Contract §6 (issue 10): a recommendation carries its activity and every assessment
    # (`assessments`, which replaced the earlier `history`).
    assert data["recommendations"] == [
        {
            "url": f"http://testserver/api/v1/recommendations/{rec.pk}/",
            "id": rec.pk,
            "activity": eom.pk,
            "report": report.pk,
            "number": rec.number,
            "text": rec.text,
            "topic": None,
            "status": "pending",
            "assessments": [],
        }
    ]


def test_recommendation_status_is_latest_rating(api, olga, eom):
    report = ReportFactory(activity=eom)
    rec = services.recommendation_add(actor=olga, report=report, text="Reform the election administration.")
    later = datetime.timedelta(days=400)
    services.recommendation_assess(
        actor=olga,
        recommendation=rec,
        status="partially",
        assessed_on=report.published + later,
        note="Slowly.",
    )
    data = api.get(f"{ACTIVITIES}{eom.pk}/").json()
    assert data["recommendations"][0]["status"] == "partially"
    assessments = data["recommendations"][0]["assessments"]
    assert [row["status"] for row in assessments] == ["pending", "partially"]
    assert assessments[1] == {
        "status": "partially",
        "assessed": (report.published + later).isoformat(),
        "note": "Slowly.",
        "activity": None,
    }


def test_activity_list_constant_queries(api, georgia, django_assert_num_queries):
    def build(n: int) -> None:
        for _ in range(n):
            eom = ActivityFactory(election=ElectionFactory(state=georgia))
            OfferFactory(activity=eom)
            RecommendationFactory(report=ReportFactory(activity=eom))

    build(1)
    # 1 count + 1 page of activities (election and State joined, offered sums as subqueries)
    # + 3 prefetches (reports, recommendations, their rating history).
    with django_assert_num_queries(5):
        assert api.get(ACTIVITIES).json()["count"] == 1
    build(15)
    with django_assert_num_queries(5):
        assert api.get(ACTIVITIES).json()["count"] == 16


def test_activity_filters(api, eom, started_eom):
    assert api.get(f"{ACTIVITIES}?kind=NAM").json()["count"] == 0
    assert api.get(f"{ACTIVITIES}?kind=EOM").json()["count"] == 2
    assert api.get(f"{ACTIVITIES}?election={eom.election_id}").json()["count"] == 1
    assert api.get(f"{ACTIVITIES}?kind=BAD").status_code == 400


# --- observer offers -----------------------------------------------------------------------------


def test_focal_point_offers_observers(api_as, bob, eom, django_capture_on_commit_callbacks):
    response = api_as(bob).post(offers_url(eom), {"lto": 2, "sto": 10}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["state"], data["lto"], data["sto"], data["activity"]) == ("AT", 2, 10, eom.pk)
    assert data["url"].startswith("http://testserver/api/v1/observer-offers/")
    assert ObserverOffer.objects.get().offered_by == bob
    activity = api_as(bob).get(f"{ACTIVITIES}{eom.pk}/").json()
    assert (activity["lto_offered"], activity["sto_offered"]) == (2, 10)


def test_offer_with_named_observers(api_as, bob, eom):
    body = {
        "lto": 1,
        "sto": 1,
        "observers": [
            {"name": "Anna Huber", "role": "lto", "languages": ["de", "ka"], "experience": "2 EOMs"}
        ],
    }
    response = api_as(bob).post(offers_url(eom), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["observers"][0]["languages"] == ["de", "ka"]


def test_host_state_may_not_offer(api_as, georgian_focal_point, eom):
    response = api_as(georgian_focal_point).post(offers_url(eom), {"lto": 2, "sto": 10}, format="json")
    assert response.status_code == 400
    assert "host" in response.json()["detail"]
    assert not ObserverOffer.objects.exists()


def test_no_offer_after_deployment_started(api_as, bob, started_eom):
    response = api_as(bob).post(offers_url(started_eom), {"lto": 2, "sto": 10}, format="json")
    assert response.status_code == 409
    assert "offers closed" in response.json()["detail"]


def test_no_offer_on_deployment_day(api_as, bob, georgia):
    # LTO numbers close when the activity opens (contract §6): on the deployment's first day an LTO
    # offer is too late, while STOs are still taken (their window runs to the STO deadline).
    eom = ActivityFactory(election=ElectionFactory(state=georgia, date=days(40)), opened=days(0))
    assert api_as(bob).post(offers_url(eom), {"lto": 1}, format="json").status_code == 409
    assert api_as(bob).post(offers_url(eom), {"sto": 1}, format="json").status_code == 201


def test_no_offer_to_closed_activity(api_as, bob, georgia):
    past = ElectionFactory(state=georgia, date=days(-30))
    eom = ActivityFactory(election=past, opened=days(-70), closed=days(-10))
    assert api_as(bob).post(offers_url(eom), {"lto": 1}, format="json").status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"lto": -1, "sto": 10},
        {"lto": 2, "sto": -5},
        {"lto": 0, "sto": 0},
        {},
        {"lto": "two"},
        {"lto": 1.5},
        {"lto": 10**12},
    ],
)
def test_invalid_offer_numbers_answer_400(api_as, bob, eom, body):
    response = api_as(bob).post(offers_url(eom), body, format="json")
    assert response.status_code == 400
    assert response.json()
    assert not ObserverOffer.objects.exists()


def test_negative_numbers_message_names_the_field(api_as, bob, eom):
    response = api_as(bob).post(offers_url(eom), {"lto": -1, "sto": 3}, format="json")
    assert "lto" in response.json()


def test_nam_takes_no_offers(api_as, bob, election):
    nam = ActivityFactory(election=election, kind="NAM", lto_requested=0, sto_requested=0, opened=days(5))
    assert api_as(bob).post(offers_url(nam), {"lto": 1}, format="json").status_code == 400


def test_malformed_json_answers_400(api_as, bob, eom):
    client = api_as(bob)
    response = client.post(offers_url(eom), "{not json", content_type="application/json")
    assert response.status_code == 400


def test_offer_permissions(api, api_as, alice, olga, erin, dave, eom):
    assert api.get(offers_url(eom)).status_code == 401
    assert api.post(offers_url(eom), {"lto": 1}, format="json").status_code == 401
    assert api_as(dave).get(offers_url(eom)).status_code == 403
    assert api_as(dave).post(offers_url(eom), {"lto": 1}, format="json").status_code == 403
    assert api_as(alice).post(offers_url(eom), {"lto": 1}, format="json").status_code == 403
    assert api_as(olga).post(offers_url(eom), {"lto": 1}, format="json").status_code == 403
    assert api_as(erin).post(offers_url(eom), {"lto": 1}, format="json").status_code == 403
    assert api_as(erin).get(offers_url(eom)).status_code == 403


def test_offer_to_unknown_activity_404(api_as, bob):
    assert (
        api_as(bob).post(f"{ACTIVITIES}424242/observer-offers/", {"lto": 1}, format="json").status_code == 404
    )


def test_offers_visible_to_hr_and_own_state_only(api_as, alice, bob, carol, eom):
    austrian = OfferFactory(activity=eom, state=bob.focal_point.state, lto=1, sto=2)
    german = OfferFactory(activity=eom, state=carol.focal_point.state, lto=3, sto=4)
    as_hr = api_as(alice).get(offers_url(eom)).json()
    assert {row["id"] for row in as_hr["results"]} == {austrian.pk, german.pk}
    as_bob = api_as(bob).get(offers_url(eom)).json()
    assert [row["id"] for row in as_bob["results"]] == [austrian.pk]
    assert [row["state"] for row in as_bob["results"]] == ["AT"]
    # Another State's offer answers 404 to a focal point, also at its own address.
    assert api_as(bob).get(f"/api/v1/observer-offers/{german.pk}/").status_code == 404
    assert api_as(bob).get(f"/api/v1/observer-offers/{austrian.pk}/").status_code == 200
    assert api_as(bob).get("/api/v1/observer-offers/").json()["count"] == 1
    assert api_as(alice).get("/api/v1/observer-offers/").json()["count"] == 2


def test_offer_list_constant_queries(api_as, alice, eom, django_assert_num_queries):
    client = api_as(alice)
    OfferFactory(activity=eom)
    client.get(offers_url(eom))  # warm the token's last_used write
    # auth: token (+user joined) and role groups; the activity; count; page; named observers.
    with django_assert_num_queries(6):
        assert client.get(offers_url(eom)).json()["count"] == 1
    for _ in range(10):
        OfferFactory(activity=eom)
    with django_assert_num_queries(6):
        assert client.get(offers_url(eom)).json()["count"] == 11


def test_schema_mentions_resources(api):
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/elections/" in paths
    assert "/api/v1/observation-activities/{id}/observer-offers/" in paths


def test_api_root_links_resources(api):
    data = api.get("/api/v1/").json()
    assert data["elections"].endswith("/api/v1/elections/")
    assert data["observation-activities"].endswith("/api/v1/observation-activities/")


def test_router_reverse_names():
    assert reverse("api:election-list") == ELECTIONS
    assert (
        reverse("api:observation-activity-observer-offers", kwargs={"pk": 1})
        == f"{ACTIVITIES}1/observer-offers/"
    )


def test_activity_upcoming_filter(api, eom, georgia):
    past = ActivityFactory(
        election=ElectionFactory(state=georgia, date=days(-100)), opened=days(-140), closed=days(-90)
    )
    assert [row["id"] for row in api.get(f"{ACTIVITIES}?upcoming=true").json()["results"]] == [eom.pk]
    assert [row["id"] for row in api.get(f"{ACTIVITIES}?upcoming=false").json()["results"]] == [past.pk]
    assert api.get(f"{ACTIVITIES}?upcoming=perhaps").status_code == 400


def test_etag_and_conditional_get(api, election):
    response = api.get(f"{ELECTIONS}{election.pk}/")
    etag = response["ETag"]
    assert api.get(f"{ELECTIONS}{election.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        f"{ACTIVITIES}?election=99999999999999999999",
        f"{ACTIVITIES}?election=-1",
        f"{ACTIVITIES}?year=1e5",
        f"{ELECTIONS}?year=99999",
        f"{ELECTIONS}?year=-2020",
        f"{ELECTIONS}?state=%00",
        f"{ELECTIONS}?page=abc",
        f"{ELECTIONS}?page_size=100000",
        f"{ACTIVITIES}99999999999999999999/",
        f"{ACTIVITIES}99999999999999999999/observer-offers/",
        "/api/v1/observer-offers/99999999999999999999/",
    ],
)
def test_odd_input_never_5xx(api, api_as, alice, election, path):
    assert api.get(path).status_code < 500
    assert api_as(alice).get(path).status_code < 500


def test_an_offer_moves_its_activity_updated(eom: ObservationActivity, api) -> None:  # type: ignore[no-untyped-def]
    """Incremental sync: the activity's offered totals change with an offer, so its ``updated``
    does too."""
    make_state("FR", "France", iso_alpha3="FRA")
    before = api.get(f"/api/v1/observation-activities/{eom.pk}/").json()["updated"]
    services.observer_offer_create(actor=_user("francoise", "focal-point", "FR"), activity=eom, lto=1, sto=2)
    after = api.get(f"/api/v1/observation-activities/{eom.pk}/").json()
    assert after["updated"] > before and after["lto_offered"] == 1
