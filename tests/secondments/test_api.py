"""The API per CONTRACT §5/§6: shapes, refusals (4xx, nothing changed), permissions, query counts."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from secondments import services
from secondments.models import Nomination, Secondment, Vacancy
from tests.secondments.conftest import PDF, candidate

VACANCY_FIELDS = {
    "url",
    "reference",
    "title",
    "field_operation",
    "body",
    "duty_station",
    "appointment",
    "grade",
    "dimension",
    "posts",
    "deadline",
    "status",
    "published",
    "description",
    "requirements",
    "open_to_partners",
    "notice_language",
    "languages",
    "field_of_expertise",
}


def vacancy_payload(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Human Rights Officer",
        "field_operation": "mission-to-bosnia-and-herzegovina",
        "duty_station": "Sarajevo",
        "appointment": "seconded",
        "grade": "S2",
        "dimension": "human",
        "field_of_expertise": "rule-of-law",
        "posts": 2,
        "deadline": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "description": "Monitoring of trials.",
        "requirements": "Law degree.",
        "notice_language": "en",
        "languages": ["en", "bs"],
        **extra,
    }


@pytest.fixture
def ready(operation: Any, dimension: Any, expertise: Any) -> None:
    """The reference rows the payload names."""


def nominate(client: Any, reference: str, **candidate_extra: Any) -> Any:
    return client.post(
        f"/api/v1/vacancies/{reference}/nominations/",
        {"candidate": candidate(**candidate_extra), "motivation": "Experienced."},
        format="json",
    )


# --- Vacancies ----------------------------------------------------------------------------------


def test_hr_creates_publishes_and_reads(api_as: Any, alice: Any, ready: None, api: Any) -> None:
    client = api_as(alice)
    response = client.post("/api/v1/vacancies/", vacancy_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= VACANCY_FIELDS
    assert body["status"] == "draft" and body["published"] is None
    assert body["reference"].startswith("VNBAHS")
    assert body["url"].endswith(f"/api/v1/vacancies/{body['reference']}/")
    assert body["field_operation"] == "mission-to-bosnia-and-herzegovina" and body["body"] is None
    assert body["languages"] == ["en", "bs"]
    ref = body["reference"]
    assert api.get(f"/api/v1/vacancies/{ref}/").status_code == 404  # drafts are HR's
    response = client.post(f"/api/v1/vacancies/{ref}/publish/")
    assert response.status_code == 200 and response.json()["status"] == "open"
    assert response.json()["published"]
    assert client.post(f"/api/v1/vacancies/{ref}/publish/").status_code == 409
    assert api.get(f"/api/v1/vacancies/{ref}/").json()["status"] == "open"
    response = client.patch(
        f"/api/v1/vacancies/{ref}/", {"title": "Senior Human Rights Officer"}, format="json"
    )
    assert response.status_code == 200 and response.json()["title"] == "Senior Human Rights Officer"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"deadline": "2001-01-01"}, "deadline"),
        ({"deadline": "tomorrow"}, "deadline"),
        ({"grade": "Z9"}, "grade"),
        ({"posts": 0}, "posts"),
        ({"dimension": "nope"}, "dimension"),
        ({"field_of_expertise": "astrology"}, "field_of_expertise"),
        ({"notice_language": "pt"}, "notice_language"),
        ({"languages": ["english"]}, "languages"),
        ({"appointment": "contracted"}, "grade"),
        ({"field_operation": None}, "field_operation"),
    ],
)
def test_vacancy_bad_input_400(
    api_as: Any, alice: Any, ready: None, extra: dict[str, Any], field: str
) -> None:
    response = api_as(alice).post("/api/v1/vacancies/", vacancy_payload(**extra), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert not Vacancy.objects.exists()


def test_vacancy_malformed_json_400(api_as: Any, alice: Any) -> None:
    response = api_as(alice).generic(
        "POST", "/api/v1/vacancies/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(("who", "code"), [(None, 401), ("dave", 403), ("bob", 403)])
def test_vacancy_writes_need_hr(
    request: Any, api: Any, api_as: Any, ready: None, vacancy: Vacancy, who: str | None, code: int
) -> None:
    client = api if who is None else api_as(request.getfixturevalue(who))
    assert client.post("/api/v1/vacancies/", vacancy_payload(), format="json").status_code == code
    assert (
        client.patch(f"/api/v1/vacancies/{vacancy.reference}/", {"title": "x"}, format="json").status_code
        == code
    )
    for action in ("publish", "close", "extend"):
        assert client.post(f"/api/v1/vacancies/{vacancy.reference}/{action}/").status_code == code
    vacancy.refresh_from_db()
    assert vacancy.title != "x" and vacancy.status == "open"


def test_close_and_extend_actions(api_as: Any, alice: Any, vacancy: Vacancy) -> None:
    client = api_as(alice)
    url = f"/api/v1/vacancies/{vacancy.reference}/"
    new = (vacancy.deadline + datetime.timedelta(days=10)).isoformat()
    response = client.post(url + "extend/", {"deadline": new}, format="json")
    assert response.status_code == 200 and response.json()["deadline"] == new
    assert client.post(url + "extend/", {"deadline": "2001-01-01"}, format="json").status_code == 400
    assert client.post(url + "extend/", {}, format="json").status_code == 400
    response = client.post(url + "close/")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert client.post(url + "close/").status_code == 409
    assert client.post(url + "publish/").status_code == 409


def test_vacancy_filters(api: Any, make_vacancy: Any) -> None:
    soon = make_vacancy(deadline=timezone.localdate() + datetime.timedelta(days=3))
    later = make_vacancy(appointment="contracted", grade="P3")
    results = api.get("/api/v1/vacancies/", {"appointment": "contracted"}).json()["results"]
    assert [row["reference"] for row in results] == [later.reference]
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    results = api.get("/api/v1/vacancies/", {"deadline_before": deadline}).json()["results"]
    assert [row["reference"] for row in results] == [soon.reference]
    for bad in (
        {"status": "bogus"},
        {"deadline_after": "not-a-date"},
        {"grade": "Q"},
        {"field_operation": "nope"},
    ):
        assert api.get("/api/v1/vacancies/", bad).status_code == 400, bad
    assert api.get("/api/v1/vacancies/", {"status": "open", "grade": "S2"}).json()["count"] == 1


def test_vacancy_full_text_search_ranked(api: Any, make_vacancy: Any) -> None:
    today = timezone.localdate()
    weak = make_vacancy(
        title="Administrative Assistant",
        description="Supports the election unit once.",
        deadline=today + datetime.timedelta(days=3),
    )
    strong = make_vacancy(
        title="Election Adviser",
        description="Advises on elections and election law.",
        deadline=today + datetime.timedelta(days=9),
    )
    french = make_vacancy(
        title="Conseiller juridique", description="Réforme des élections", notice_language="fr"
    )
    make_vacancy(title="Driver", description="Drives cars.")
    # Best match first when asked for (sort=relevance) ...
    results = api.get("/api/v1/vacancies/", {"q": "election", "sort": "relevance"}).json()["results"]
    refs = [row["reference"] for row in results]
    assert refs[:2] == [strong.reference, weak.reference]
    best = api.get("/api/v1/vacancies/", {"q": "élections", "sort": "relevance"}).json()["results"][0]
    assert best["reference"] == french.reference
    # ... else the matches in the list's own order: deadline, soonest first.
    results = api.get("/api/v1/vacancies/", {"q": "election"}).json()["results"]
    refs = [row["reference"] for row in results if row["reference"] in {weak.reference, strong.reference}]
    assert refs == [weak.reference, strong.reference]
    # Without a search there is no rank: the list's order, not an error.
    response = api.get("/api/v1/vacancies/", {"sort": "relevance"})
    assert response.status_code == 200
    assert [row["deadline"] for row in response.json()["results"]] == sorted(
        row["deadline"] for row in response.json()["results"]
    )
    assert api.get("/api/v1/vacancies/", {"q": "election", "grade": "P3"}).json()["count"] == 0
    assert api.get("/api/v1/vacancies/", {"q": '"unbalanced OR -'}).status_code == 200


def test_search_uses_the_gin_index(make_vacancy: Any) -> None:
    make_vacancy(title="Election Adviser")
    queryset = Vacancy.objects.search("election adviser")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # The matches found through the index: counted, or ranked (every match read).
        assert "vacancy_search_gin" in queryset.order_by().explain()
        assert "vacancy_search_gin" in queryset.order_by("-rank").explain()


def test_vacancy_list_constant_queries(api: Any, make_vacancy: Any, django_assert_num_queries: Any) -> None:
    make_vacancy()
    api.get("/api/v1/vacancies/")  # fills this process's caches of operations, bodies and the count
    # The answer made again, not the one kept under its ETag (tests/secondments/test_kept_answers.py).
    caches["answers"].clear()
    # versions + page (the vacancy table alone: operations' and bodies' slugs come from the
    # per-process caches, the count too while the versions stay; no role queries for anonymous).
    with django_assert_num_queries(2):
        assert api.get("/api/v1/vacancies/").status_code == 200
    for _ in range(5):
        make_vacancy()
    # The vacancy table's version moved: the count is counted again (versions + count + page).
    with django_assert_num_queries(3):
        assert api.get("/api/v1/vacancies/").json()["count"] == 6
    caches["answers"].clear()
    with django_assert_num_queries(2):
        assert api.get("/api/v1/vacancies/?page_size=2&page=2").json()["count"] == 6


def test_a_cached_count_is_never_another_callers(
    api: Any, api_as: Any, alice: Any, bob: Any, make_vacancy: Any
) -> None:
    make_vacancy()
    make_vacancy(publish=False)  # a draft: HR counts it, nobody else does
    assert api_as(alice).get("/api/v1/vacancies/").json()["count"] == 2
    assert api.get("/api/v1/vacancies/").json()["count"] == 1
    assert api_as(bob).get("/api/v1/vacancies/").json()["count"] == 1
    assert api_as(alice).get("/api/v1/vacancies/?status=draft").json()["count"] == 1
    assert api.get("/api/v1/vacancies/?status=open").json()["count"] == 1


# --- Nominations --------------------------------------------------------------------------------


def test_focal_point_nominates_json(api_as: Any, bob: Any, vacancy: Vacancy) -> None:
    response = nominate(api_as(bob), vacancy.reference, nationality="at")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) >= {"url", "id", "vacancy", "state", "candidate", "status", "submitted", "history"}
    assert body["vacancy"] == vacancy.reference and body["state"] == "AT" and body["status"] == "submitted"
    assert body["candidate"]["nationality"] == "AT" and body["candidate"]["gender"] == "female"
    assert body["history"][0]["status"] == "submitted" and body["history"][0]["by"] == "bob"


def test_focal_point_nominates_multipart_with_cv(
    api_as: Any, bob: Any, alice: Any, carol: Any, vacancy: Vacancy
) -> None:
    data = {"candidate": json.dumps(candidate()), "motivation": "m", "cv": SimpleUploadedFile("cv.pdf", PDF)}
    response = api_as(bob).post(
        f"/api/v1/vacancies/{vacancy.reference}/nominations/", data, format="multipart"
    )
    assert response.status_code == 201, response.json()
    cv_url = response.json()["cv"]
    assert cv_url and "/nominations/" in cv_url
    flat = {f"candidate.{k}": v for k, v in candidate(n=2).items()}
    response = api_as(bob).post(
        f"/api/v1/vacancies/{vacancy.reference}/nominations/",
        {**flat, "cv": SimpleUploadedFile("cv.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    bad = {"candidate": json.dumps(candidate(n=3)), "cv": SimpleUploadedFile("cv.pdf", b"MZ\x90\x00")}
    response = api_as(bob).post(
        f"/api/v1/vacancies/{vacancy.reference}/nominations/", bad, format="multipart"
    )
    assert response.status_code == 400 and "cv" in response.json()


@pytest.mark.parametrize(
    ("setup", "candidate_extra", "code", "message"),
    [
        ("draft", {}, 404, None),
        ("closed", {}, 409, "not open"),
        ("past", {}, 409, "deadline"),
        ("duplicate", {"email": "ANNA.HUBER1@EXAMPLE.ORG"}, 409, "already nominated"),
        (None, {"nationality": "DE"}, 400, "own nationals"),
        (None, {"nationality": "XX"}, 400, None),
        (None, {"gender": "unknown"}, 400, None),
        (None, {"email": "not-an-email"}, 400, None),
    ],
)
def test_nomination_refusals(
    api_as: Any,
    alice: Any,
    bob: Any,
    germany: Any,
    make_vacancy: Any,
    setup: str | None,
    candidate_extra: dict[str, Any],
    code: int,
    message: str | None,
) -> None:
    vacancy = make_vacancy(publish=setup != "draft")
    if setup == "closed":
        services.vacancy_close(actor=alice, vacancy=vacancy)
    if setup == "past":
        Vacancy.objects.filter(pk=vacancy.pk).update(
            deadline=timezone.localdate() - datetime.timedelta(days=1)
        )
    if setup == "duplicate":
        assert nominate(api_as(bob), vacancy.reference).status_code == 201
    before = Nomination.objects.count()
    response = nominate(api_as(bob), vacancy.reference, **candidate_extra)
    assert response.status_code == code, response.json()
    if message:
        assert message in json.dumps(response.json())
    assert Nomination.objects.count() == before


def test_host_national_refused_400(api_as: Any, bosnia: Any, vacancy: Vacancy) -> None:
    from accounts.services import role_grant

    user, _ = role_grant(username="bosnian", role="focal-point", state_code="BA")
    response = nominate(api_as(user), vacancy.reference, nationality="BA")
    assert response.status_code == 400 and "host State" in json.dumps(response.json())


@pytest.mark.parametrize(("who", "code"), [(None, 401), ("dave", 403), ("alice", 403)])
def test_only_focal_points_nominate(
    request: Any, api: Any, api_as: Any, vacancy: Vacancy, who: str | None, code: int
) -> None:
    client = api if who is None else api_as(request.getfixturevalue(who))
    assert nominate(client, vacancy.reference).status_code == code
    assert not Nomination.objects.exists()


def test_nomination_visibility(
    api: Any, api_as: Any, alice: Any, bob: Any, carol: Any, dave: Any, vacancy: Vacancy
) -> None:
    own = nominate(api_as(bob), vacancy.reference).json()
    theirs = nominate(api_as(carol), vacancy.reference, nationality="DE", n=2).json()
    assert api.get("/api/v1/nominations/").status_code == 401
    assert api_as(dave).get("/api/v1/nominations/").status_code == 403
    assert api_as(alice).get("/api/v1/nominations/").json()["count"] == 2
    listed = api_as(bob).get("/api/v1/nominations/").json()["results"]
    assert [row["id"] for row in listed] == [own["id"]]
    assert api_as(bob).get(f"/api/v1/nominations/{theirs['id']}/").status_code == 404
    assert api_as(bob).post(f"/api/v1/nominations/{theirs['id']}/withdraw/").status_code == 404
    assert (
        api_as(bob)
        .patch(f"/api/v1/nominations/{theirs['id']}/", {"motivation": "x"}, format="json")
        .status_code
        == 404
    )
    assert api_as(bob).get("/api/v1/nominations/", {"state": "DE"}).json()["count"] == 0
    assert api_as(alice).get("/api/v1/nominations/", {"state": "DE"}).json()["count"] == 1
    assert api_as(alice).get("/api/v1/nominations/", {"status": "bogus"}).status_code == 400
    assert api_as(alice).get("/api/v1/nominations/", {"vacancy": vacancy.reference}).json()["count"] == 2


def test_selection_workflow_through_api(
    api_as: Any, alice: Any, bob: Any, carol: Any, make_vacancy: Any
) -> None:
    vacancy = make_vacancy(posts=1)
    hr = api_as(alice)
    first = nominate(api_as(bob), vacancy.reference).json()
    second = nominate(api_as(carol), vacancy.reference, nationality="DE", n=2).json()
    url = f"/api/v1/nominations/{first['id']}/"
    early = hr.patch(url, {"status": "shortlisted"}, format="json")
    assert early.status_code == 409 and "still open" in early.json()["detail"]  # nominations still open
    assert hr.post(f"/api/v1/vacancies/{vacancy.reference}/close/").status_code == 200
    assert hr.patch(url, {"status": "selected"}, format="json").status_code == 409  # not shortlisted
    assert hr.patch(url, {"status": "bogus"}, format="json").status_code == 400
    assert api_as(bob).patch(url, {"status": "shortlisted"}, format="json").status_code == 403
    response = hr.patch(url, {"status": "shortlisted", "reason": "Strong profile"}, format="json")
    assert response.status_code == 200
    response = hr.patch(
        url, {"status": "selected", "reason": "Best interview", "start": "2026-01-01"}, format="json"
    )
    assert response.status_code == 200, response.json()
    history = response.json()["history"]
    assert [step["status"] for step in history] == ["submitted", "shortlisted", "selected"]
    assert history[-1]["by"] == "alice" and history[-1]["reason"] == "Best interview" and history[-1]["at"]
    assert hr.get(f"/api/v1/vacancies/{vacancy.reference}/").json()["status"] == "filled"
    assert hr.get(f"/api/v1/nominations/{second['id']}/").json()["status"] == "rejected"
    secondments = hr.get("/api/v1/secondments/").json()["results"]
    assert len(secondments) == 1
    row = secondments[0]
    assert set(row) >= {"url", "id", "nomination", "state", "post", "start", "end", "renewals", "status"}
    assert (row["state"], row["post"], row["start"], row["end"], row["renewals"]) == (
        "AT",
        vacancy.reference,
        "2026-01-01",
        "2027-01-01",
        0,
    )
    assert row["status"] == "active"
    # Secondments: own State only.
    assert api_as(carol).get("/api/v1/secondments/").json()["count"] == 0
    assert api_as(carol).get(f"/api/v1/secondments/{row['id']}/").status_code == 404
    assert api_as(bob).get("/api/v1/secondments/").json()["count"] == 1
    renewed = hr.post(f"/api/v1/secondments/{row['id']}/renew/")
    assert (
        renewed.status_code == 200
        and renewed.json()["end"] == "2028-01-01"
        and renewed.json()["renewals"] == 1
    )
    # A retried request does not renew twice: the next term has not begun.
    again = hr.post(f"/api/v1/secondments/{row['id']}/renew/")
    assert again.status_code == 409 and "Already renewed" in again.json()["detail"]
    assert Secondment.objects.get().renewals == 1
    assert api_as(bob).post(f"/api/v1/secondments/{row['id']}/renew/").status_code == 403


def test_withdraw_through_api(api_as: Any, alice: Any, bob: Any, vacancy: Vacancy) -> None:
    nomination = nominate(api_as(bob), vacancy.reference).json()
    url = f"/api/v1/nominations/{nomination['id']}/withdraw/"
    assert api_as(alice).post(url).status_code == 403
    response = api_as(bob).post(url, {"reason": "Took another post"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert api_as(bob).post(url).status_code == 409


def test_secondment_filters_and_permissions(
    api: Any, api_as: Any, alice: Any, bob: Any, dave: Any, vacancy: Vacancy
) -> None:
    nomination = nominate(api_as(bob), vacancy.reference).json()
    hr = api_as(alice)
    hr.post(f"/api/v1/vacancies/{vacancy.reference}/close/")
    hr.patch(f"/api/v1/nominations/{nomination['id']}/", {"status": "shortlisted"}, format="json")
    hr.patch(f"/api/v1/nominations/{nomination['id']}/", {"status": "selected"}, format="json")
    assert api.get("/api/v1/secondments/").status_code == 401
    assert api_as(dave).get("/api/v1/secondments/").status_code == 403
    assert hr.get("/api/v1/secondments/", {"status": "active"}).json()["count"] == 1
    assert hr.get("/api/v1/secondments/", {"status": "ended"}).json()["count"] == 0
    end = Secondment.objects.get().end
    assert hr.get("/api/v1/secondments/", {"ending_before": end.isoformat()}).json()["count"] == 1
    assert hr.get("/api/v1/secondments/", {"ending_before": "2000-01-01"}).json()["count"] == 0
    assert hr.get("/api/v1/secondments/", {"ending_before": "x"}).status_code == 400
    assert hr.get("/api/v1/secondments/", {"state": "AT"}).json()["count"] == 1


def test_nomination_list_constant_queries(
    api_as: Any, alice: Any, bob: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    client = api_as(alice)
    nominate(api_as(bob), vacancy.reference)

    def count() -> int:
        caches["answers"].clear()  # the answer made again, not the one kept under its ETag
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/nominations/").status_code == 200
        return len(queries)

    count()  # the first request of a token also records its last use (and counts the rows)
    one = count()
    for n in range(2, 8):
        nominate(api_as(bob), vacancy.reference, n=n)
    # token lookup + role groups + versions (the ETag) + count + page + history prefetch, the count
    # only once after the table changed (then from the per-process cache): the same for 1 and 7 rows.
    assert count() == 6
    assert count() == one == 5


def test_schema_generates(api: Any) -> None:
    assert api.get("/api/v1/schema/?format=json").status_code == 200


def test_far_dates_are_400_not_500(api_as: Any, alice: Any, bob: Any, vacancy: Vacancy) -> None:
    hr = api_as(alice)
    url = f"/api/v1/vacancies/{vacancy.reference}/extend/"
    assert hr.post(url, {"deadline": "9999-12-31"}, format="json").status_code == 400
    nomination = nominate(api_as(bob), vacancy.reference).json()
    hr.post(f"/api/v1/vacancies/{vacancy.reference}/close/")
    hr.patch(f"/api/v1/nominations/{nomination['id']}/", {"status": "shortlisted"}, format="json")
    response = hr.patch(
        f"/api/v1/nominations/{nomination['id']}/",
        {"status": "selected", "start": "9999-12-31"},
        format="json",
    )
    assert response.status_code == 400 and "start" in response.json()
    assert Nomination.objects.get().status == "shortlisted"


def test_secondment_list_constant_queries(api_as: Any, alice: Any, bob: Any, make_vacancy: Any) -> None:
    hr = api_as(alice)

    def select_one(n: int) -> None:
        vacancy = make_vacancy()
        nomination = nominate(api_as(bob), vacancy.reference, n=n).json()
        hr.post(f"/api/v1/vacancies/{vacancy.reference}/close/")
        for status in ("shortlisted", "selected"):
            hr.patch(f"/api/v1/nominations/{nomination['id']}/", {"status": status}, format="json")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert hr.get("/api/v1/secondments/").status_code == 200
        return len(queries)

    select_one(1)
    one = count()
    for n in range(2, 6):
        select_one(n)
    # token + role groups + versions (the ETag) + count + page (nomination, State and vacancy
    # joined): 1 row or 5.
    assert count() == one == 5


def test_api_root_links_and_etag(api: Any, vacancy: Vacancy) -> None:
    root = api.get("/api/v1/").json()
    assert {"vacancies", "nominations", "secondments"} <= set(root)
    first = api.get(f"/api/v1/vacancies/{vacancy.reference}/")
    assert first.has_header("ETag")
    again = api.get(f"/api/v1/vacancies/{vacancy.reference}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_appointment_and_duty_station_default_from_grade_and_post(
    api_as: Any, alice: Any, ready: None
) -> None:
    payload = vacancy_payload(grade="P3")
    del payload["appointment"], payload["duty_station"]
    body = api_as(alice).post("/api/v1/vacancies/", payload, format="json").json()
    assert (body["appointment"], body["duty_station"]) == ("contracted", "Sarajevo")
    assert body["reference"].startswith("VNBAHC")
