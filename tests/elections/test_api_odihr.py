"""ODIHR's writes in the API (contract §6): elections, observation activities, reports,
recommendations and their assessments; observer offers changed and withdrawn; who sees what."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Event
from elections import services
from elections.models import Election, ObservationActivity, ObserverOffer, Recommendation, Report
from states.models import Dimension, Topic
from tests.conftest import make_pdf, make_state
from tests.elections.factories import ActivityFactory, ElectionFactory, OfferFactory, ReportFactory, days

pytestmark = pytest.mark.django_db

ELECTIONS = "/api/v1/elections/"
ACTIVITIES = "/api/v1/observation-activities/"
OFFERS = "/api/v1/observer-offers/"
RECOMMENDATIONS = "/api/v1/recommendations/"


@pytest.fixture
def topics(db: None) -> dict[str, Topic]:
    human = Dimension.objects.create(slug="human", name="Human")
    return {
        slug: Topic.objects.create(slug=slug, name=name, dimension=human)
        for slug, name in (("elections", "Elections"), ("media-freedom", "Media freedom"))
    }


# --- elections ---------------------------------------------------------------------------------


def test_odihr_records_and_edits_an_election(api_as, olga, georgia):
    client = api_as(olga)
    response = client.post(
        ELECTIONS, {"state": "ge", "kind": "presidential", "date": days(50).isoformat()}, format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["state"], data["kind"], data["round"], data["observation"]) == (
        "GE",
        "presidential",
        1,
        None,
    )
    assert data["url"] == f"http://testserver{ELECTIONS}{data['id']}/"
    assert Event.objects.filter(name="election.created", data__id=data["id"]).exists()
    second = client.post(
        ELECTIONS,
        {
            "state": "GE",
            "kind": "presidential",
            "date": days(64).isoformat(),
            "round": 2,
            "first_round": data["id"],
        },
        format="json",
    )
    assert second.status_code == 201, second.json()
    assert second.json()["first_round"] == data["id"]
    patched = client.patch(f"{ELECTIONS}{data['id']}/", {"early": True, "note": "Snap."}, format="json")
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["early"], patched.json()["note"]) == (True, "Snap.")


def test_a_referendum(api_as, olga, georgia):
    response = api_as(olga).post(
        ELECTIONS, {"state": "GE", "kind": "referendum", "date": days(20).isoformat()}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "referendum"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"state": "ZZ", "kind": "local", "date": "2030-01-01"},
        {"state": "GE", "kind": "municipal", "date": "2030-01-01"},
        {"state": "GE", "kind": "local", "date": "2030-02-30"},
        {"state": "GE", "kind": "local", "date": "1970-01-01"},
        {"state": "GE", "kind": "local", "date": "9999-12-31"},
        {"state": "GE", "kind": "local", "date": "2030-01-01", "round": 2},
        {"state": "GE", "kind": "local", "date": "2030-01-01", "round": 0},
        {"state": "GE", "kind": "local", "date": "2030-01-01", "first_round": 99999999},
        {"state": ["GE"], "kind": "local", "date": "2030-01-01"},
    ],
)
def test_invalid_election_answers_400(api_as, olga, georgia, body):
    response = api_as(olga).post(ELECTIONS, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()
    assert not Election.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("bob", 403), ("dave", 403), ("erin", 403)])
def test_only_odihr_writes_elections(request, api, api_as, election, who, status):
    client = api_as(request.getfixturevalue(who))
    body = {"state": "GE", "kind": "local", "date": days(20).isoformat()}
    assert client.post(ELECTIONS, body, format="json").status_code == status
    assert client.patch(f"{ELECTIONS}{election.pk}/", {"note": "x"}, format="json").status_code == status
    assert api.post(ELECTIONS, body, format="json").status_code == 401
    assert api.patch(f"{ELECTIONS}{election.pk}/", {"note": "x"}, format="json").status_code == 401
    assert Election.objects.count() == 1


def test_refusal_comes_before_the_body_is_read(api_as, dave):
    response = api_as(dave).post(ELECTIONS, "{not json", content_type="application/json")
    assert response.status_code == 403


def test_no_put(api_as, olga, election):
    assert api_as(olga).put(f"{ELECTIONS}{election.pk}/", {}, format="json").status_code == 405


# --- activities ----------------------------------------------------------------------------------


def test_odihr_records_and_edits_an_eom(api_as, olga, election, bob, django_capture_on_commit_callbacks):
    client = api_as(olga)
    body = {
        "election": election.pk,
        "kind": "EOM",
        "head": "Ambassador A. Example",
        "opened": days(18).isoformat(),
        "core_team_size": 13,
        "lto_requested": 30,
        "sto_requested": 350,
        "sto_deadline": days(50).isoformat(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVITIES, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["head"], data["core_team_size"]) == ("EOM", "Ambassador A. Example", 13)
    assert (data["lto_requested"], data["sto_requested"], data["lto_offered"], data["sto_offered"]) == (
        30,
        350,
        0,
        0,
    )
    assert (data["sto_deadline"], data["lto_offers_until"], data["sto_offers_until"]) == (
        days(50).isoformat(),
        days(17).isoformat(),
        days(50).isoformat(),
    )
    assert data["offers_open"] and data["lto_offers_open"] and data["sto_offers_open"]
    assert Event.objects.filter(name="observation_activity.opened", data__id=data["id"]).count() == 1
    patched = client.patch(
        f"{ACTIVITIES}{data['id']}/", {"sto_deadline": None, "sto_requested": 400}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["sto_deadline"], patched.json()["sto_offers_until"]) == (
        None,
        days(59).isoformat(),
    )
    assert patched.json()["sto_requested"] == 400
    assert Event.objects.filter(name="observation_activity.opened").count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "EOM", "opened": "2030-01-01"},
        {"kind": "XYZ"},
        {"kind": "NAM", "lto_requested": 3},
        {"kind": "EOM", "lto_requested": -3},
        {"kind": "EOM", "sto_deadline": "not a date"},
        {"kind": "EOM", "closed": "2000-01-01"},
    ],
)
def test_invalid_activity_answers_400(api_as, olga, election, body):
    payload = {"election": election.pk, "opened": days(10).isoformat(), **body}
    response = api_as(olga).post(ACTIVITIES, payload, format="json")
    assert response.status_code == 400, response.content
    assert not ObservationActivity.objects.exists()


def test_second_deployment_answers_400(api_as, olga, eom):
    body = {"election": eom.election_id, "kind": "LEOM", "opened": days(10).isoformat()}
    response = api_as(olga).post(ACTIVITIES, body, format="json")
    assert response.status_code == 400
    assert "deployment" in response.json()["detail"]


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_only_odihr_writes_activities(request, api_as, eom, who):
    client = api_as(request.getfixturevalue(who))
    body = {"election": eom.election_id, "kind": "NAM", "opened": days(1).isoformat()}
    assert client.post(ACTIVITIES, body, format="json").status_code == 403
    assert client.patch(f"{ACTIVITIES}{eom.pk}/", {"head": "x"}, format="json").status_code == 403


# --- reports -------------------------------------------------------------------------------------


def _report(content: bytes, name: str = "final.pdf") -> dict[str, object]:
    return {
        "kind": "interim",
        "title": "Interim Report 1",
        "published": days(0).isoformat(),
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
    }


def test_odihr_publishes_a_report_pdf(api, api_as, olga, eom):
    response = api_as(olga).post(f"{ACTIVITIES}{eom.pk}/reports/", _report(make_pdf()), format="multipart")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["title"], data["published"]) == (
        "interim",
        "Interim Report 1",
        days(0).isoformat(),
    )
    assert data["link"].endswith(f"/elections/reports/{data['id']}/file/")
    assert Event.objects.filter(name="report.published", data__id=data["id"]).exists()
    pdf = api.get(f"/elections/reports/{data['id']}/file/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    activity = api.get(f"{ACTIVITIES}{eom.pk}/").json()
    assert [report["title"] for report in activity["reports"]] == ["Interim Report 1"]


@pytest.mark.parametrize(
    "content",
    [b"Just text, not a PDF.", b"%PDF-1.7\nbut nothing after the magic bytes", b"\x89PNG\r\n\x1a\n"],
)
def test_a_report_that_is_not_a_pdf_answers_400(api_as, olga, eom, content):
    response = api_as(olga).post(f"{ACTIVITIES}{eom.pk}/reports/", _report(content), format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()
    assert not Report.objects.exists()


def test_report_as_a_link(api_as, olga, eom):
    body = {
        "kind": "final",
        "title": "Final",
        "published": days(0).isoformat(),
        "link": "https://www.osce.org/x",
    }
    response = api_as(olga).post(f"{ACTIVITIES}{eom.pk}/reports/", body, format="multipart")
    assert response.status_code == 201
    assert response.json()["link"] == "https://www.osce.org/x"


def test_report_without_file_or_link_answers_400(api_as, olga, eom):
    body = {"kind": "final", "title": "Final", "published": days(0).isoformat()}
    assert api_as(olga).post(f"{ACTIVITIES}{eom.pk}/reports/", body, format="multipart").status_code == 400


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_only_odihr_publishes_reports(request, api, api_as, eom, who):
    url = f"{ACTIVITIES}{eom.pk}/reports/"
    assert (
        api_as(request.getfixturevalue(who)).post(url, _report(make_pdf()), format="multipart").status_code
        == 403
    )
    assert api.post(url, _report(make_pdf()), format="multipart").status_code == 401


def test_a_large_report_is_not_refused_by_the_body_limit(api_as, olga, eom, settings):
    # Reports take the upload limit (5 MiB), not the general 1 MiB.
    big = make_pdf(pages=1) + b"%" + b"x" * (1024 * 1024 + 100) + b"\n"
    response = api_as(olga).post(f"{ACTIVITIES}{eom.pk}/reports/", _report(big), format="multipart")
    assert response.status_code != 413


# --- recommendations -----------------------------------------------------------------------


def test_odihr_adds_edits_and_assesses_a_recommendation(api, api_as, olga, eom, topics):
    client = api_as(olga)
    body = {"activity": eom.pk, "text": "Publish results by polling station.", "topic": "elections"}
    assert client.post(RECOMMENDATIONS, body, format="json").status_code == 409  # no final report yet
    final = ReportFactory(activity=eom)
    response = client.post(RECOMMENDATIONS, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["activity"], data["report"], data["topic"], data["status"]) == (
        eom.pk,
        final.pk,
        "elections",
        "pending",
    )
    assert [row["status"] for row in data["assessments"]] == ["pending"]
    url = f"{RECOMMENDATIONS}{data['id']}/"
    patched = client.patch(
        url, {"topic": "media-freedom", "text": "Publish results promptly."}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["topic"], patched.json()["text"]) == ("media-freedom", "Publish results promptly.")
    assert patched.json()["status"] == "pending"


def test_a_recommendation_assessed_twice_shows_both_the_latest_as_its_status(api, api_as, olga, eom):
    final = ReportFactory(activity=eom)
    rec = services.recommendation_add(actor=olga, report=final, text="Reform the complaints procedure.")
    client = api_as(olga)
    url = f"{RECOMMENDATIONS}{rec.pk}/assessments/"
    first = final.published + datetime.timedelta(days=400)
    second = final.published + datetime.timedelta(days=800)
    answer = client.post(
        url, {"status": "partially", "assessed": first.isoformat(), "note": "Draft law."}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["status"] == "partially"
    # The second is sent before a third, older one: the status follows the latest by date.
    client.post(
        url, {"status": "mostly", "assessed": second.isoformat(), "note": "Law adopted."}, format="json"
    )
    client.post(
        url,
        {"status": "not-implemented", "assessed": (first + datetime.timedelta(days=1)).isoformat()},
        format="json",
    )
    data = api.get(f"{RECOMMENDATIONS}{rec.pk}/").json()
    assert data["status"] == "mostly"
    assert [(row["status"], row["assessed"]) for row in data["assessments"]] == [
        ("pending", final.published.isoformat()),
        ("partially", first.isoformat()),
        ("not-implemented", (first + datetime.timedelta(days=1)).isoformat()),
        ("mostly", second.isoformat()),
    ]
    assert data["assessments"][1]["note"] == "Draft law."


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"status": "done", "assessed": "2030-01-01"},
        {"status": "fully"},
        {"status": "fully", "assessed": "soon"},
    ],
)
def test_invalid_assessment_answers_400(api_as, olga, eom, body):
    rec = services.recommendation_add(actor=olga, report=ReportFactory(activity=eom), text="x")
    response = api_as(olga).post(f"{RECOMMENDATIONS}{rec.pk}/assessments/", body, format="json")
    assert response.status_code == 400
    assert Recommendation.objects.get().assessments.count() == 1


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_only_odihr_writes_recommendations(request, api, api_as, olga, eom, who):
    rec = services.recommendation_add(actor=olga, report=ReportFactory(activity=eom), text="x")
    client = api_as(request.getfixturevalue(who))
    assert client.post(RECOMMENDATIONS, {"activity": eom.pk, "text": "y"}, format="json").status_code == 403
    assert client.patch(f"{RECOMMENDATIONS}{rec.pk}/", {"text": "y"}, format="json").status_code == 403
    body = {"status": "fully", "assessed": "2099-01-01"}
    assert client.post(f"{RECOMMENDATIONS}{rec.pk}/assessments/", body, format="json").status_code == 403
    assert api.post(f"{RECOMMENDATIONS}{rec.pk}/assessments/", body, format="json").status_code == 401


def test_recommendation_filters(api, olga, georgia, topics):
    armenia = make_state("AM", "Armenia", iso_alpha3="ARM")
    ge_eom = ActivityFactory(election=ElectionFactory(state=georgia))
    am_eom = ActivityFactory(election=ElectionFactory(state=armenia))
    ge_report, am_report = ReportFactory(activity=ge_eom), ReportFactory(activity=am_eom)
    names = {}
    ge_one = services.recommendation_add(actor=olga, report=ge_report, text="ge-1", topic=topics["elections"])
    ge_two = services.recommendation_add(
        actor=olga, report=ge_report, text="ge-2", topic=topics["media-freedom"]
    )
    am_one = services.recommendation_add(actor=olga, report=am_report, text="am-1", topic=topics["elections"])
    services.recommendation_assess(
        actor=olga,
        recommendation=ge_two,
        status="fully",
        assessed_on=ge_report.published + datetime.timedelta(days=9),
    )
    for rec in (ge_one, ge_two, am_one):
        names[rec.pk] = rec.text

    def found(query: str) -> set[str]:
        response = api.get(f"{RECOMMENDATIONS}?{query}")
        assert response.status_code == 200, response.json()
        return {names[row["id"]] for row in response.json()["results"]}

    assert found("") == {"ge-1", "ge-2", "am-1"}
    assert found("state=ge") == {"ge-1", "ge-2"}
    assert found(f"activity={am_eom.pk}") == {"am-1"}
    assert found("status=fully") == {"ge-2"}
    assert found("status=pending") == {"ge-1", "am-1"}
    assert found("topic=elections") == {"ge-1", "am-1"}
    assert found("state=GE&topic=elections&status=pending") == {"ge-1"}


@pytest.mark.parametrize(
    "query", ["state=ZZ", "status=done", "topic=nothing", "activity=abc", "activity=99999999999999999999"]
)
def test_bad_recommendation_filters_answer_400(api, db, query):
    assert api.get(f"{RECOMMENDATIONS}?{query}").status_code == 400


def test_recommendation_list_constant_queries(api, olga, georgia, topics, django_assert_num_queries):
    def build(n: int) -> None:
        for _ in range(n):
            report = ReportFactory(activity=ActivityFactory(election=ElectionFactory(state=georgia)))
            rec = services.recommendation_add(actor=olga, report=report, text="x", topic=topics["elections"])
            services.recommendation_assess(
                actor=olga, recommendation=rec, status="partially", assessed_on=report.published
            )

    build(1)
    # 1 count + 1 page (report, activity, election, State and topic joined) + 1 prefetch of the
    # assessments.
    with django_assert_num_queries(3):
        assert api.get(RECOMMENDATIONS).json()["count"] == 1
    build(12)
    with django_assert_num_queries(3):
        assert api.get(RECOMMENDATIONS).json()["count"] == 13


# --- observer offers: change, withdraw, who sees what -----------------------------------------


def test_focal_point_changes_and_withdraws_its_offer(api_as, bob, eom):
    client = api_as(bob)
    created = client.post(
        f"{ACTIVITIES}{eom.pk}/observer-offers/", {"lto": 2, "sto": 10}, format="json"
    ).json()
    url = f"{OFFERS}{created['id']}/"
    assert created["url"] == f"http://testserver{url}"
    response = client.patch(
        url,
        {"sto": 12, "observers": [{"name": "Anna Huber", "role": "sto", "languages": ["de", "ka"]}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["lto"], response.json()["sto"]) == (2, 12)
    assert response.json()["observers"][0]["name"] == "Anna Huber"
    assert client.get(f"{ACTIVITIES}{eom.pk}/").json()["sto_offered"] == 12
    assert client.delete(url).status_code == 204
    assert not ObserverOffer.objects.exists()
    assert client.get(f"{ACTIVITIES}{eom.pk}/").json()["sto_offered"] == 0
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "body", [{"lto": -1}, {"lto": 0, "sto": 0}, {"sto": "many"}, {"observers": [{"role": "sto"}]}]
)
def test_invalid_offer_change_answers_400(api_as, bob, eom, body):
    offer = OfferFactory(activity=eom, state=bob.focal_point.state)
    assert api_as(bob).patch(f"{OFFERS}{offer.pk}/", body, format="json").status_code == 400
    offer.refresh_from_db()
    assert (offer.lto, offer.sto) == (2, 10)


def test_offer_change_and_withdraw_by_others(api, api_as, alice, olga, carol, erin, dave, bob, eom):
    offer = OfferFactory(activity=eom, state=bob.focal_point.state)
    url = f"{OFFERS}{offer.pk}/"
    expected = {alice: 403, olga: 403, carol: 404, erin: 403, dave: 403}
    for user, status in expected.items():
        client = api_as(user)
        assert client.patch(url, {"sto": 1}, format="json").status_code == status, user
        assert client.delete(url).status_code == status, user
    assert api.patch(url, {"sto": 1}, format="json").status_code == 401
    assert api.delete(url).status_code == 401
    offer.refresh_from_db()
    assert offer.sto == 10


def test_named_observers_are_seen_by_odihr_and_the_offering_state_only(api_as, alice, olga, bob, eom):
    services.observer_offer_create(
        actor=bob,
        activity=eom,
        lto=1,
        sto=0,
        observers=[{"name": "Anna Huber", "role": "lto", "languages": ["de"]}],
    )
    for user, sees in ((olga, True), (bob, True), (alice, False)):
        rows = api_as(user).get(f"{ACTIVITIES}{eom.pk}/observer-offers/").json()["results"]
        assert ("observers" in rows[0]) is sees, user
        detail = api_as(user).get(f"{OFFERS}{rows[0]['id']}/").json()
        assert ("Anna Huber" in str(detail)) is sees, user


def test_odihr_reads_every_offer(api_as, olga, bob, carol, eom):
    OfferFactory(activity=eom, state=bob.focal_point.state)
    OfferFactory(activity=eom, state=carol.focal_point.state)
    assert api_as(olga).get(OFFERS).json()["count"] == 2
    assert api_as(olga).get(f"{ACTIVITIES}{eom.pk}/observer-offers/").json()["count"] == 2


def test_offers_list_constant_queries(api_as, olga, eom, django_assert_num_queries):
    client = api_as(olga)
    OfferFactory(activity=eom)
    client.get(OFFERS)  # warm the token's last_used write
    # auth: token (user joined) and role groups; count; page; named observers.
    with django_assert_num_queries(5):
        assert client.get(OFFERS).json()["count"] == 1
    for _ in range(10):
        OfferFactory(activity=eom)
    with django_assert_num_queries(5):
        assert client.get(OFFERS).json()["count"] == 11


def test_webhooks_take_the_new_events(api_as, dave, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # a loopback target: no name to resolve
    body = {
        "url": "http://127.0.0.1:9/hook",
        "events": ["observation_activity.opened", "report.published"],
        "secret": "s" * 24,
    }
    response = api_as(dave).post("/api/v1/webhooks/", body, format="json")
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["events"]) == ["observation_activity.opened", "report.published"]


def test_writes_answer_only_the_fields_asked_for_and_check_them_first(api_as, olga, bob, georgia, eom):
    odihr = api_as(olga)
    body = {"state": "GE", "kind": "presidential", "date": days(50).isoformat()}
    assert odihr.post(f"{ELECTIONS}?fields=id,salary", body, format="json").status_code == 400
    assert not Election.objects.filter(kind="presidential").exists()  # nothing recorded
    created = odihr.post(f"{ELECTIONS}?fields=id,kind", body, format="json")
    assert created.status_code == 201
    assert created.json() == {"id": Election.objects.get(kind="presidential").pk, "kind": "presidential"}
    # An offer made through the activity answers the offer's fields.
    offers = f"{ACTIVITIES}{eom.pk}/observer-offers/"
    assert api_as(bob).post(f"{offers}?fields=election", {"lto": 1}, format="json").status_code == 400
    assert not ObserverOffer.objects.exists()
    offered = api_as(bob).post(f"{offers}?fields=state,lto", {"lto": 1}, format="json")
    assert offered.status_code == 201 and offered.json() == {"state": "AT", "lto": 1}
