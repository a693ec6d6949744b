"""ODIHR's workspace in the pages: elections, activities, reports, recommendations and their
assessments; the observers requested against offered and the roster; a focal point's change and
withdrawal of its offer; a State's recommendations over time."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Event
from elections import services
from elections.models import Election, ObservationActivity, ObserverOffer, Recommendation, Report
from elections.panels import share_over_years
from tests.conftest import make_pdf
from tests.elections.factories import ActivityFactory, ElectionFactory, OfferFactory, ReportFactory, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_olga(client, olga):  # type: ignore[no-untyped-def]
    client.force_login(olga)
    return client


# --- elections and activities -----------------------------------------------------------------------


def test_the_election_form_names_the_states_in_the_page_s_language(as_olga, georgia, austria):
    page = as_olga.get("/elections/new/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    select = page[page.index('<select name="state"') :]
    select = select[: select.index("</select>")]
    assert select.index(">Autriche<") < select.index(">Géorgie<")  # French names, in their order
    assert ">Austria<" not in select


def test_odihr_records_an_election(as_olga, georgia):
    assert as_olga.get("/elections/new/").status_code == 200
    response = as_olga.post(
        "/elections/new/", {"state": "GE", "kind": "presidential", "date": days(40).isoformat(), "round": "1"}
    )
    election = Election.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/elections/{election.pk}/"
    assert Event.objects.filter(name="election.created", data__id=election.pk).exists()
    html = as_olga.get(f"/elections/{election.pk}/").content.decode()
    assert "Edit election" in html and "Add an observation activity" in html


def test_election_form_shows_errors(as_olga, georgia):
    response = as_olga.post(
        "/elections/new/", {"state": "GE", "kind": "local", "date": "1970-01-01", "round": "1"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and "does not participate on election day" in html
    response = as_olga.post("/elections/new/", {"state": "GE", "kind": "local", "round": "1"})
    assert response.status_code == 400
    assert not Election.objects.exists()


def test_odihr_edits_an_election(as_olga, election):
    response = as_olga.get(f"/elections/{election.pk}/edit/")
    assert response.status_code == 200
    data = {
        "state": "GE",
        "kind": "presidential",
        "date": election.date.isoformat(),
        "round": "1",
        "note": "x",
    }
    assert as_olga.post(f"/elections/{election.pk}/edit/", data).status_code == 302
    election.refresh_from_db()
    assert (election.kind, election.note) == ("presidential", "x")


@pytest.mark.parametrize("who", ["alice", "bob", "dave"])
def test_others_may_not_open_odihrs_forms(request, client, election, eom, who):
    client.force_login(request.getfixturevalue(who))
    for path in (
        "/elections/new/",
        f"/elections/{election.pk}/edit/",
        f"/elections/{election.pk}/activities/new/",
        f"/elections/activities/{eom.pk}/edit/",
        f"/elections/activities/{eom.pk}/reports/new/",
        f"/elections/activities/{eom.pk}/recommendations/new/",
        f"/elections/activities/{eom.pk}/roster.csv",
    ):
        assert client.get(path).status_code == 403, path
    html = client.get(f"/elections/{election.pk}/").content.decode()
    assert "Edit election" not in html


def test_anonymous_is_sent_to_log_in(client, election):
    response = client.get("/elections/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_odihr_records_and_edits_an_eom(as_olga, election):
    data = {
        "kind": "EOM",
        "head": "Ambassador A. Example",
        "opened": days(18).isoformat(),
        "core_team_size": "13",
        "lto_requested": "30",
        "sto_requested": "350",
        "sto_deadline": days(55).isoformat(),
    }
    response = as_olga.post(f"/elections/{election.pk}/activities/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    eom = ObservationActivity.objects.get()
    assert (eom.kind, eom.sto_deadline, eom.sto_requested) == ("EOM", days(55), 350)
    response = as_olga.post(
        f"/elections/activities/{eom.pk}/edit/", {**data, "sto_requested": "400", "sto_deadline": ""}
    )
    assert response.status_code == 302
    eom.refresh_from_db()
    assert (eom.sto_requested, eom.sto_deadline) == (400, None)


def test_activity_form_shows_errors(as_olga, election):
    data = {
        "kind": "NAM",
        "opened": days(5).isoformat(),
        "lto_requested": "4",
        "sto_requested": "0",
        "core_team_size": "0",
    }
    response = as_olga.post(f"/elections/{election.pk}/activities/new/", data)
    assert response.status_code == 400
    assert "requests no observers" in response.content.decode()


# --- reports -------------------------------------------------------------------------------------


def test_odihr_uploads_a_report(as_olga, eom, client):
    pdf = SimpleUploadedFile("final.pdf", make_pdf(), content_type="application/pdf")
    data = {"kind": "interim", "title": "Interim report 1", "published": days(0).isoformat(), "file": pdf}
    response = as_olga.post(f"/elections/activities/{eom.pk}/reports/new/", data)
    assert response.status_code == 302
    report = Report.objects.get()
    html = as_olga.get(f"/elections/{eom.election_id}/").content.decode()
    assert f"/elections/reports/{report.pk}/file/" in html and "Interim report 1" in html


def test_a_report_page_upload_that_is_not_a_pdf_answers_400(as_olga, eom):
    text = SimpleUploadedFile("final.pdf", b"%PDF-1.4 this is text", content_type="application/pdf")
    data = {"kind": "interim", "title": "Interim", "published": days(0).isoformat(), "file": text}
    response = as_olga.post(f"/elections/activities/{eom.pk}/reports/new/", data)
    assert response.status_code == 400
    assert "not a readable PDF" in response.content.decode()
    assert not Report.objects.exists()


# --- recommendations -----------------------------------------------------------------------


def test_odihr_adds_and_assesses_a_recommendation(as_olga, client, eom):
    url = f"/elections/activities/{eom.pk}/recommendations/new/"
    response = as_olga.post(url, {"text": "Publish results by polling station."})
    assert response.status_code == 409  # no final report yet: the form says so
    assert "publish it first" in response.content.decode()
    final = ReportFactory(activity=eom)
    response = as_olga.post(url, {"text": "Publish results by polling station."})
    rec = Recommendation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/elections/recommendations/{rec.pk}/"
    assess = f"/elections/recommendations/{rec.pk}/assess/"
    first = final.published + datetime.timedelta(days=300)
    second = final.published + datetime.timedelta(days=700)
    assert (
        as_olga.post(
            assess, {"status": "partially", "assessed_on": first.isoformat(), "note": "Draft law."}
        ).status_code
        == 302
    )
    assert (
        as_olga.post(
            assess, {"status": "mostly", "assessed_on": second.isoformat(), "note": "Adopted."}
        ).status_code
        == 302
    )
    client.logout()
    html = client.get(f"/elections/recommendations/{rec.pk}/").content.decode()
    for text in ("Draft law.", "Adopted.", first.isoformat(), second.isoformat(), "Partially implemented"):
        assert text in html, text
    assert f"<strong>Mostly implemented</strong> (assessed on {second.isoformat()})" in html
    assert "Add an assessment" not in html


def test_assessment_errors_show(as_olga, eom):
    rec = services.recommendation_add(actor=None, report=ReportFactory(activity=eom), text="x")
    response = as_olga.post(
        f"/elections/recommendations/{rec.pk}/assess/", {"status": "done", "assessed_on": "x"}
    )
    assert response.status_code == 400
    assert "Status:" in response.content.decode()
    assert rec.assessments.count() == 1


def test_recommendation_edit(as_olga, eom):
    rec = services.recommendation_add(actor=None, report=ReportFactory(activity=eom), text="x")
    response = as_olga.post(f"/elections/recommendations/{rec.pk}/edit/", {"number": "3", "text": "Better"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.number, rec.text) == (3, "Better")


def test_recommendation_list_filters_and_queries(client, olga, georgia, django_assert_num_queries):
    def build(n: int) -> None:
        for _ in range(n):
            report = ReportFactory(activity=ActivityFactory(election=ElectionFactory(state=georgia)))
            services.recommendation_add(actor=olga, report=report, text="Reform the complaints procedure.")

    build(1)
    # The filter's choices (States, topics) + count + page (report, activity, election, State,
    # topic joined) + the assessments; the State filter's value is looked up once more.
    with django_assert_num_queries(5):
        assert client.get("/elections/recommendations/").status_code == 200
    build(10)
    with django_assert_num_queries(5):
        assert client.get("/elections/recommendations/").status_code == 200
    with django_assert_num_queries(6):
        html = client.get("/elections/recommendations/?state=ge&status=pending").content.decode()
    assert html.count("Reform the complaints procedure.") == 11
    assert client.get("/elections/recommendations/?status=done").status_code == 400


def test_share_implemented_over_the_years(olga, eom):
    report = ReportFactory(activity=eom, published=datetime.date(2020, 3, 1))
    one, two = (services.recommendation_add(actor=olga, report=report, text=t) for t in ("a", "b"))
    services.recommendation_assess(
        actor=olga, recommendation=one, status="mostly", assessed_on=datetime.date(2021, 5, 1)
    )
    services.recommendation_assess(
        actor=olga, recommendation=two, status="fully", assessed_on=datetime.date(2023, 5, 1)
    )
    services.recommendation_assess(
        actor=olga, recommendation=one, status="partially", assessed_on=datetime.date(2024, 5, 1)
    )
    recs = list(Recommendation.objects.for_list())
    rows = [(row.year, row.total, row.implemented, row.percent) for row in share_over_years(recs, until=2024)]
    assert rows == [(2020, 2, 0, 0), (2021, 2, 1, 50), (2022, 2, 1, 50), (2023, 2, 2, 100), (2024, 2, 1, 50)]


def test_state_page_shows_recommendations_by_status_and_topic_and_the_chart(client, olga, eom):
    report = ReportFactory(activity=eom, published=datetime.date(2022, 3, 1))
    rec = services.recommendation_add(actor=olga, report=report, text="Improve voter lists.")
    services.recommendation_assess(
        actor=olga, recommendation=rec, status="fully", assessed_on=datetime.date(2024, 1, 5)
    )
    services.recommendation_add(actor=olga, report=report, text="Reform media oversight.")
    for path in ("/states/GE/", "/elections/recommendations/GE/"):
        html = client.get(path).content.decode()
        assert "2 ODIHR recommendations to Georgia, by topic and status" in html, path
        assert "<svg" in html and 'role="img"' in html, path
        assert "The chart&#x27;s figures as a table" in html or "The chart's figures as a table" in html, path
        assert "<td>50%</td>" in html, path  # 2024: one of two fully implemented


def test_state_page_panel_constant_queries(client, olga, georgia):
    """The State's page runs as many queries for 1 recommendation as for 9 (the elections panel:
    elections, recommendations with everything joined, their assessments)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def build(n: int) -> None:
        for _ in range(n):
            report = ReportFactory(activity=ActivityFactory(election=ElectionFactory(state=georgia)))
            services.recommendation_add(actor=olga, report=report, text="x")

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/states/GE/").status_code == 200
        return len(context.captured_queries)

    build(1)
    before = count()
    build(8)
    assert count() == before


# --- observers: requested against offered, the roster --------------------------------------------


def test_odihr_sees_the_gap_per_state_and_the_roster(as_olga, bob, carol, eom):
    services.observer_offer_create(
        actor=bob,
        activity=eom,
        lto=2,
        sto=9,
        observers=[{"name": "Anna Huber", "role": "lto", "languages": ["de"]}],
    )
    services.observer_offer_create(actor=carol, activity=eom, lto=1, sto=4, note="=HYPERLINK(1)")
    response = as_olga.get(f"/elections/activities/{eom.pk}/observers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Austria" in html and "Germany" in html and "Named observers" in html
    assert "<td>27</td>" in html and "<td>287</td>" in html  # 30 - 3 LTOs, 300 - 13 STOs still missing
    roster = as_olga.get(f"/elections/activities/{eom.pk}/roster.csv")
    assert roster.status_code == 200 and roster["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(roster.streaming_content).decode())))
    assert [(row["state"], row["observer"], row["lto"], row["sto"]) for row in rows] == [
        ("AT", "Anna Huber", "2", "9"),
        ("DE", "", "1", "4"),
    ]
    assert rows[1]["note"] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet


def test_hr_sees_the_gap_without_names(client, alice, bob, eom):
    services.observer_offer_create(
        actor=bob, activity=eom, lto=2, sto=9, observers=[{"name": "Anna Huber", "role": "lto"}]
    )
    client.force_login(alice)
    html = client.get(f"/elections/activities/{eom.pk}/observers/").content.decode()
    assert "Austria" in html and "Anna Huber" not in html and "Named observers" not in html
    assert "roster.csv" not in html
    assert client.get(f"/elections/activities/{eom.pk}/roster.csv").status_code == 403


def test_focal_points_do_not_see_the_overview(client, bob, eom):
    client.force_login(bob)
    assert client.get(f"/elections/activities/{eom.pk}/observers/").status_code == 403


# --- a focal point changes and withdraws its offer ------------------------------------------


def test_focal_point_changes_its_offer_in_the_page(client, bob, eom):
    offer = services.observer_offer_create(
        actor=bob,
        activity=eom,
        lto=2,
        sto=5,
        observers=[{"name": "Anna Huber", "role": "sto", "languages": ["de"]}],
    )
    client.force_login(bob)
    page = client.get(f"/elections/offers/{offer.pk}/edit/")
    assert page.status_code == 200 and "Anna Huber; sto; de" in page.content.decode()
    data = {"lto": "2", "sto": "7", "note": "", "observers": "Anna Huber; sto; de"}
    response = client.post(f"/elections/offers/{offer.pk}/edit/", data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.sto == 7 and offer.observers.get().name == "Anna Huber"


def test_focal_point_withdraws_its_offer_in_the_page(client, bob, eom):
    offer = OfferFactory(activity=eom, state=bob.focal_point.state)
    client.force_login(bob)
    response = client.post(f"/elections/offers/{offer.pk}/withdraw/")
    assert response.status_code == 302 and response["Location"] == f"/elections/{eom.election_id}/#offers"
    assert not ObserverOffer.objects.exists()


def test_a_change_after_the_window_answers_409_in_the_page(client, bob, started_eom):
    offer = OfferFactory(activity=started_eom, state=bob.focal_point.state, lto=2, sto=5)
    client.force_login(bob)
    response = client.post(f"/elections/offers/{offer.pk}/edit/", {"lto": "3", "sto": "5", "note": ""})
    assert response.status_code == 409
    assert "offers closed" in response.content.decode()
    response = client.post(f"/elections/offers/{offer.pk}/withdraw/")
    assert response.status_code == 409
    assert ObserverOffer.objects.exists()


def test_another_states_offer_is_not_there(client, carol, bob, eom):
    offer = OfferFactory(activity=eom, state=bob.focal_point.state)
    client.force_login(carol)
    assert client.get(f"/elections/offers/{offer.pk}/edit/").status_code == 404
    assert client.post(f"/elections/offers/{offer.pk}/withdraw/").status_code == 404


def test_offer_list_for_odihr_constant_queries(as_olga, eom, bob, carol, django_assert_num_queries):
    OfferFactory(activity=eom, state=bob.focal_point.state)
    as_olga.get("/elections/offers/")
    # session and user, role groups, the State filter's choices, count, page (State, activity,
    # election and its State joined).
    with django_assert_num_queries(6):
        assert as_olga.get("/elections/offers/").status_code == 200
    for _ in range(8):
        OfferFactory(activity=eom, state=carol.focal_point.state)
    with django_assert_num_queries(6):
        html = as_olga.get("/elections/offers/").content.decode()
    assert "Germany" in html and "Austria" in html
