"""Pages of the secondment cycle: forms with clear validation, the notice, the dashboard,
feeds, statistics, and the CV served only as an attachment."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from core.ical import fold as ics_fold
from secondments import services
from secondments.models import CalendarToken, Nomination, SavedSearch, Vacancy
from states.models import State
from tests.secondments.conftest import PDF


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(operation: Any, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Political Officer",
        "field_operation": operation.slug,
        "duty_station": "Sarajevo",
        "appointment": "seconded",
        "grade": "S2",
        "field_of_expertise": "rule-of-law",
        "dimension": "human",
        "posts": "1",
        "notice_language": "en",
        "description": "Background text.",
        "tasks": "Tasks text.",
        "requirements": "Requirements text.",
        "languages": "en, ru",
        "remuneration": "Paid by the seconding State.",
        "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        **extra,
    }


def test_hr_creates_previews_publishes_through_pages(
    alice: Any, bob: Any, operation: Any, dimension: Any, expertise: Any
) -> None:
    client = logged_in(alice)
    response = client.post("/vacancies/new/", form_data(operation))
    assert response.status_code == 302
    vacancy = Vacancy.objects.get()
    assert response["Location"] == f"/vacancies/{vacancy.reference}/"
    assert vacancy.languages == ["en", "ru"] and vacancy.status == "draft"
    preview = client.get(response["Location"]).content.decode()
    assert "Preview of a draft" in preview and "Tasks text." in preview
    client.post(f"/vacancies/{vacancy.reference}/publish/")
    vacancy.refresh_from_db()
    assert vacancy.status == "open"
    response = client.post(
        f"/vacancies/{vacancy.reference}/edit/",
        form_data(operation, title="Senior Political Officer", deadline=vacancy.deadline.isoformat()),
    )
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Senior Political Officer"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"deadline": "2001-01-01"}, "The deadline is in the past."),
        ({"grade": "P3"}, "A seconded post has a seconded level"),
        ({"languages": "english"}, "ISO 639-1"),
        ({"title": ""}, "This field is required."),
        ({"field_operation": ""}, "exactly one"),
    ],
)
def test_vacancy_form_validation(
    alice: Any, operation: Any, dimension: Any, expertise: Any, extra: dict[str, Any], message: str
) -> None:
    response = logged_in(alice).post("/vacancies/new/", form_data(operation, **extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Vacancy.objects.exists()


def test_focal_point_nominates_through_page(bob: Any, alice: Any, carol: Any, vacancy: Vacancy) -> None:
    client = logged_in(bob)
    data = {
        "given_name": "Anna",
        "family_name": "Huber",
        "email": "anna@example.org",
        "nationality": "AT",
        "gender": "female",
        "motivation": "Because.",
        "cv": SimpleUploadedFile("cv.pdf", PDF),
    }
    response = client.post(f"/vacancies/{vacancy.reference}/nominate/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    nomination = Nomination.objects.get()
    # The same candidate again: a clear message, nothing changes.
    data["cv"] = SimpleUploadedFile("cv.pdf", PDF)
    response = client.post(f"/vacancies/{vacancy.reference}/nominate/", data)
    assert response.status_code == 409 and "already nominated" in response.content.decode()
    # Another nationality.
    response = client.post(
        f"/vacancies/{vacancy.reference}/nominate/",
        {**data, "email": "x@example.org", "nationality": "DE", "cv": ""},
    )
    assert response.status_code == 400 and "own nationals" in response.content.decode()
    response = client.post(
        f"/vacancies/{vacancy.reference}/nominate/",
        {**data, "email": "y@example.org", "cv": SimpleUploadedFile("cv.pdf", b"not a pdf")},
    )
    assert response.status_code == 400 and "PDF" in response.content.decode()
    assert Nomination.objects.count() == 1
    # The CV: attachment, to HR and Austria only.
    for user in (alice, bob):
        response = logged_in(user).get(f"/nominations/{nomination.pk}/cv/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
    assert logged_in(carol).get(f"/nominations/{nomination.pk}/cv/").status_code == 404


def test_hr_decides_and_state_withdraws_through_pages(alice: Any, bob: Any, make_vacancy: Any) -> None:
    vacancy = make_vacancy(posts=1)
    at = State.objects.get(code="AT")
    first, second = (
        services.nomination_submit(
            actor=bob,
            vacancy=vacancy,
            given_name="A",
            family_name=str(n),
            email=f"{n}@example.org",
            nationality=at,
            gender="male",
        )
        for n in (1, 2)
    )
    hr = logged_in(alice)
    early = hr.post(f"/nominations/{first.pk}/decide/", {"status": "shortlisted", "reason": "Good"})
    assert early.status_code == 409 and "still open" in early.content.decode()  # nominations still open
    assert hr.post(f"/vacancies/{vacancy.reference}/close/").status_code == 302
    response = hr.post(f"/nominations/{first.pk}/decide/", {"status": "selected", "reason": "skip"})
    first.refresh_from_db()
    assert first.status == "submitted"  # refused: not shortlisted
    assert response.status_code == 409
    page = response.content.decode()
    assert "can&#x27;t become" in page or "can't become" in page
    hr.post(f"/nominations/{first.pk}/decide/", {"status": "shortlisted", "reason": "Good"})
    hr.post(
        f"/nominations/{first.pk}/decide/", {"status": "selected", "reason": "Best", "start": "2027-03-01"}
    )
    first.refresh_from_db()
    assert first.status == "selected" and first.secondment.end == datetime.date(2028, 3, 1)
    second.refresh_from_db()
    assert second.status == "rejected"
    page = hr.get(f"/nominations/{first.pk}/").content.decode()
    assert "Best" in page and "alice" in page
    assert logged_in(bob).post(f"/nominations/{second.pk}/withdraw/").status_code == 409
    second.refresh_from_db()
    assert second.status == "rejected"  # a decided nomination can't be withdrawn


def test_notice_is_print_friendly(vacancy: Vacancy) -> None:
    html = Client().get(f"/vacancies/{vacancy.reference}/notice/").content.decode()
    assert "<h1" in html and vacancy.reference in html and "23:59 Vienna time" in html
    assert "site-header" not in html


def test_dashboard_counts_by_state_and_days_left(alice: Any, bob: Any, carol: Any, vacancy: Vacancy) -> None:
    at = State.objects.get(code="AT")
    services.nomination_submit(
        actor=bob,
        vacancy=vacancy,
        given_name="A",
        family_name="B",
        email="a@example.org",
        nationality=at,
        gender="male",
    )
    html = logged_in(alice).get("/vacancies/dashboard/").content.decode()
    assert "AT: 1" in html and f"<td>{(vacancy.deadline - timezone.localdate()).days}</td>" in html


def test_vacancy_list_page_constant_queries(make_vacancy: Any, django_assert_num_queries: Any) -> None:
    make_vacancy()
    client = Client()
    # versions + count + page + the filter form's choices (field operations, bodies, dimensions,
    # fields of expertise) + one count per facet (status, operation, body, appointment, grade,
    # dimension, field of expertise), the same for 1 and 20 rows.
    with django_assert_num_queries(14):
        assert client.get("/vacancies/").status_code == 200
    for _ in range(19):
        make_vacancy()
    with django_assert_num_queries(14):
        assert client.get("/vacancies/").status_code == 200
    # nothing changed since: the form (with its counts), rows and pagination come from the cached
    # fragments, the row count from the per-process cache under the same versions
    with django_assert_num_queries(1):  # versions
        assert client.get("/vacancies/").status_code == 200


def test_nomination_list_page_constant_queries(alice: Any, bob: Any, vacancy: Vacancy) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    at = State.objects.get(code="AT")
    client = logged_in(alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/nominations/").status_code == 200
        return len(queries)

    services.nomination_submit(
        actor=bob,
        vacancy=vacancy,
        given_name="A",
        family_name="B",
        email="a0@example.org",
        nationality=at,
        gender="male",
    )
    one = count()
    for n in range(1, 10):
        services.nomination_submit(
            actor=bob,
            vacancy=vacancy,
            given_name="A",
            family_name="B",
            email=f"a{n}@example.org",
            nationality=at,
            gender="male",
        )
    assert count() == one


def test_search_page_ranked(make_vacancy: Any) -> None:
    make_vacancy(title="Driver", description="Cars.")
    strong = make_vacancy(title="Election Adviser", description="Elections.")
    html = Client().get("/vacancies/", {"q": "election"}).content.decode()
    assert strong.reference in html and "Driver" not in html
    bad = Client().get("/vacancies/", {"deadline_after": "nope"})
    assert bad.status_code == 400 and "Enter a valid date." in bad.content.decode()


def test_deadlines_ics_parses(make_vacancy: Any) -> None:
    first = make_vacancy(
        title="Officer; with, special \\ characters and a very long title that needs folding " * 2
    )
    make_vacancy(publish=False)
    response = Client().get("/vacancies/deadlines.ics")
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = Calendar.from_ical(raw)
    events = [component for component in calendar.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    assert event.decoded("DTSTART") == first.deadline
    assert str(event["SUMMARY"]).startswith(first.reference)
    assert "DTSTAMP" in event and "UID" in event


def test_ics_fold_respects_utf8() -> None:
    line = "SUMMARY:" + "é" * 80
    folded = ics_fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_secret_calendar_url_is_revocable(bob: Any, vacancy: Vacancy) -> None:
    client = logged_in(bob)
    client.post("/vacancies/calendar/", {"create": "1"})
    page = client.get("/vacancies/calendar/").content.decode()
    start = page.index("/vacancies/calendar/", page.index("<code>"))
    url = page[start : page.index("</code>", start)]
    response = Client().get(url)
    assert response.status_code == 200
    assert vacancy.reference in response.content.decode()
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert "Austria has nominated 0 candidate(s)." in str(event["DESCRIPTION"])
    token = CalendarToken.objects.get()
    assert token.digest not in url  # only the digest is stored
    client.post("/vacancies/calendar/", {"revoke": token.pk})
    assert Client().get(url).status_code == 404


def test_atom_feed(make_vacancy: Any) -> None:
    vacancy = make_vacancy()
    make_vacancy(publish=False, title="Secret draft")
    response = Client().get("/vacancies/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<feed" in body and vacancy.reference in body and "Secret draft" not in body


def test_saved_search_page(dave: Any) -> None:
    client = logged_in(dave)
    response = client.post(
        "/vacancies/searches/", {"name": "Rule of law", "frequency": "instant", "grade": "S2"}
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert search.query == {"grade": "S2"} and search.user == dave
    response = client.post("/vacancies/searches/", {"name": "Bad", "frequency": "daily", "grade": "Q9"})
    assert response.status_code == 400 and SavedSearch.objects.count() == 1
    assert "These filters are not valid." in response.content.decode()


def test_statistics_table_chart_and_csv(alice: Any, bob: Any, vacancy: Vacancy) -> None:
    at = State.objects.get(code="AT")
    nomination = services.nomination_submit(
        actor=bob,
        vacancy=vacancy,
        given_name="A",
        family_name="B",
        email="a@example.org",
        nationality=at,
        gender="female",
    )
    services.vacancy_close(actor=alice, vacancy=vacancy)
    services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    services.nomination_decide(actor=alice, nomination=nomination, status="selected")
    client = logged_in(alice)
    html = client.get("/vacancies/statistics/").content.decode()
    assert "<caption" in html and "<figure>" in html
    csv_text = client.get("/vacancies/statistics.csv").content.decode()
    assert csv_text.splitlines() == ["state,gender,grade,nominations,selections", "AT,female,S2,1,1"]


def test_statistics_shares(alice: Any, make_vacancy: Any) -> None:
    from secondments.statistics import vacancy_shares

    short = make_vacancy(posts=2)
    services.vacancy_extend(actor=alice, vacancy=short, deadline=short.deadline + datetime.timedelta(days=3))
    services.vacancy_close(actor=alice, vacancy=short)
    assert vacancy_shares() == {
        "total": 1,
        "short": 1,
        "extended": 1,
        "short_share": 100.0,
        "extended_share": 100.0,
    }


def test_home_counter(vacancy: Vacancy) -> None:
    html = Client().get("/").content.decode()
    assert "open vacancies" in html and 'href="/vacancies/"' in html


def test_host_state_calendar_leaves_out_posts_it_cannot_fill(bosnia: Any, make_vacancy: Any) -> None:
    from accounts.services import role_grant

    international = make_vacancy()
    local = make_vacancy(appointment="contracted", grade="NP2")
    user, _ = role_grant(username="bosnian", role="focal-point", state_code="BA")
    _token, raw = services.calendar_token_create(actor=user)
    body = Client().get(f"/vacancies/calendar/{raw}.ics").content.decode()
    assert local.reference in body and international.reference not in body


def test_bad_ids_in_posted_forms_are_not_errors(dave: Any) -> None:
    client = logged_in(dave)
    assert client.post("/vacancies/calendar/", {"revoke": "abc"}).status_code == 404
    assert client.post("/vacancies/searches/", {"delete": "abc"}).status_code == 404


def test_every_aria_describedby_of_the_vacancy_form_names_an_element_of_the_page(alice: Any) -> None:
    """Screen readers read a field's help through aria-describedby: each id it names must exist."""
    from html.parser import HTMLParser

    class Ids(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.ids: set[str] = set()
            self.described: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if found.get("id"):
                self.ids.add(str(found["id"]))
            if found.get("aria-describedby"):
                self.described.extend(str(found["aria-describedby"]).split())

    page = Ids()
    page.feed(logged_in(alice).get("/vacancies/new/").content.decode())
    assert page.described  # the fields with help text are described
    assert [name for name in page.described if name not in page.ids] == []
