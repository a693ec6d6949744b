"""The integrator's API on the secondment cycle: field selection (issue 12)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from secondments import services
from secondments.models import Vacancy
from tests.secondments.test_api import nominate

pytestmark = pytest.mark.django_db


def _sql(client: Any, url: str) -> tuple[Any, list[str]]:
    """The answer made afresh (not one kept under its ETag) and the statements it ran."""
    caches["answers"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [query["sql"] for query in queries]


def test_fields_select_the_answer_on_list_and_detail(api: Any, vacancy: Vacancy) -> None:
    body = api.get("/api/v1/vacancies/?fields=reference,deadline").json()
    assert body["count"] == 1
    assert body["results"] == [{"reference": vacancy.reference, "deadline": vacancy.deadline.isoformat()}]
    detail = api.get(f"/api/v1/vacancies/{vacancy.reference}/?fields=title, status&fields=url").json()
    assert set(detail) == {"url", "title", "status"}
    assert detail["status"] == "open"


def test_unknown_field_is_400_naming_it(api: Any, vacancy: Vacancy) -> None:
    response = api.get("/api/v1/vacancies/?fields=reference,salary")
    assert response.status_code == 400
    message = response.json()["fields"][0]
    assert "salary" in message and "reference" in message  # names the unknown one and the choices
    assert api.get(f"/api/v1/vacancies/{vacancy.reference}/?fields=nope").status_code == 400
    assert api.get("/api/v1/vacancies/?fields=,").status_code == 400


def test_a_narrow_vacancy_request_joins_nothing(api: Any, vacancy: Vacancy) -> None:
    response, sql = _sql(api, "/api/v1/vacancies/?fields=reference,title,status")
    assert response.status_code == 200
    page = sql[-1]
    assert "JOIN" not in page.upper(), page
    response, sql = _sql(api, "/api/v1/vacancies/?fields=reference,field_operation")
    assert response.json()["results"][0]["field_operation"] == vacancy.field_operation.slug
    # The operation's slug comes from the per-process reference cache (secondments.api.rows): the
    # page's statement still reads the vacancy table alone.
    (page,) = [query for query in sql if "secondments_vacancy" in query and "LIMIT" in query.upper()]
    assert "JOIN" not in page.upper(), page


def test_a_narrow_nomination_request_skips_the_history_query(
    api_as: Any, alice: Any, bob: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    nominate(api_as(bob), vacancy.reference)
    client = api_as(alice)
    client.get("/api/v1/nominations/")  # the token's first use records it
    response, full = _sql(client, "/api/v1/nominations/")
    assert response.json()["results"][0]["history"]
    response, narrow = _sql(client, "/api/v1/nominations/?fields=id,status,state,candidate")
    assert response.status_code == 200
    assert set(response.json()["results"][0]) == {"id", "status", "state", "candidate"}
    # The history prefetch (one query) is not run when history is not asked for.
    assert len(narrow) == len(full) - 1
    assert not any("nominationchange" in query for query in narrow)


# --- Incremental sync -------------------------------------------------------------------------


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


def test_updated_since_returns_what_changed_at_or_after(api: Any, alice: Any, make_vacancy: Any) -> None:
    old, new = make_vacancy(), make_vacancy()
    long_ago = timezone.now() - datetime.timedelta(days=2)
    Vacancy.objects.filter(pk=old.pk).update(updated=long_ago)
    new.refresh_from_db()
    since = long_ago + datetime.timedelta(seconds=1)
    body = api.get("/api/v1/vacancies/", {"updated_since": _iso(since)}).json()
    assert [row["reference"] for row in body["results"]] == [new.reference]
    assert datetime.datetime.fromisoformat(body["results"][0]["updated"]) == new.updated
    # at or after: the exact time of the old change includes it
    exact = api.get("/api/v1/vacancies/", {"updated_since": _iso(long_ago)}).json()
    assert exact["count"] == 2
    # a change moves it: the old one comes back after an extension
    services.vacancy_extend(actor=alice, vacancy=old, deadline=old.deadline + datetime.timedelta(days=5))
    again = api.get("/api/v1/vacancies/", {"updated_since": _iso(since)}).json()
    assert {row["reference"] for row in again["results"]} == {old.reference, new.reference}


def test_any_offset_python_reads_is_compared_in_utc(api: Any, vacancy: Vacancy) -> None:
    # PostgreSQL refuses offsets past ±15:59 (a 500 before); the time is compared in UTC instead.
    response = api.get("/api/v1/vacancies/", {"updated_since": "3693-02-15T11:37:22+22:59"})
    assert response.status_code == 200 and response.json()["count"] == 0
    early = api.get("/api/v1/vacancies/", {"updated_since": "2000-01-01T00:00:00+22:59"}).json()
    assert early["count"] == 1


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-13-40T00:00:00Z", "1", "%00", "9999-12-31T23:59:59-23:00"]
)
def test_a_malformed_updated_since_is_400(api: Any, value: str) -> None:
    for url in ("/api/v1/vacancies/", "/api/v1/elections/", "/api/v1/observation-activities/"):
        response = api.get(url, {"updated_since": value})
        assert response.status_code == 400, (url, value)
        assert "updated_since" in response.json()


def test_ordering_by_updated(api: Any, make_vacancy: Any) -> None:
    first, second, third = make_vacancy(), make_vacancy(), make_vacancy()
    base = timezone.now() - datetime.timedelta(hours=3)
    for offset, vacancy in ((2, first), (0, second), (1, third)):
        Vacancy.objects.filter(pk=vacancy.pk).update(updated=base + datetime.timedelta(minutes=offset))
    ascending = [row["reference"] for row in api.get("/api/v1/vacancies/?ordering=updated").json()["results"]]
    assert ascending == [second.reference, third.reference, first.reference]
    descending = [
        row["reference"] for row in api.get("/api/v1/vacancies/?ordering=-updated").json()["results"]
    ]
    assert descending == ascending[::-1]
    assert api.get("/api/v1/vacancies/?ordering=salary").status_code == 400


def test_cancelled_and_withdrawn_objects_stay_with_their_status(
    api: Any, api_as: Any, alice: Any, bob: Any, make_vacancy: Any
) -> None:
    vacancy, other = make_vacancy(), make_vacancy()
    before = timezone.now()
    services.vacancy_cancel(actor=alice, vacancy=other, reason="Post frozen")
    rows = api.get("/api/v1/vacancies/", {"updated_since": _iso(before)}).json()["results"]
    assert [(row["reference"], row["status"]) for row in rows] == [(other.reference, "cancelled")]
    nomination_id = nominate(api_as(bob), vacancy.reference).json()["id"]
    since = timezone.now()
    withdrawn = api_as(bob).post(f"/api/v1/nominations/{nomination_id}/withdraw/", {}, format="json")
    assert withdrawn.status_code == 200
    for user in (bob, alice):
        rows = api_as(user).get("/api/v1/nominations/", {"updated_since": _iso(since)}).json()["results"]
        assert [(row["id"], row["status"]) for row in rows] == [(nomination_id, "withdrawn")]


def test_every_synced_resource_carries_updated(api_as: Any, alice: Any, bob: Any, vacancy: Vacancy) -> None:
    nominate(api_as(bob), vacancy.reference)
    client = api_as(alice)
    for url in ("/api/v1/vacancies/", "/api/v1/nominations/"):
        row = client.get(url).json()["results"][0]
        assert datetime.datetime.fromisoformat(row["updated"]).tzinfo is not None
    for url in ("/api/v1/secondments/", "/api/v1/elections/", "/api/v1/observation-activities/"):
        assert client.get(url, {"updated_since": "2026-01-01T00:00:00+01:00"}).status_code == 200


# --- ?fields= on writes: creates and actions answer only the fields asked for ---------------------


def test_a_publish_with_an_unknown_field_is_400_and_publishes_nothing(
    api_as: Any, alice: Any, make_vacancy: Any
) -> None:
    from core.models import AuditEntry

    draft = make_vacancy(publish=False)
    hr = api_as(alice)
    audited = AuditEntry.objects.count()
    response = hr.post(f"/api/v1/vacancies/{draft.reference}/publish/?fields=nope")
    assert response.status_code == 400
    assert "nope" in response.json()["fields"][0]
    draft.refresh_from_db()
    assert draft.status == Vacancy.Status.DRAFT and draft.published is None
    assert AuditEntry.objects.count() == audited  # nothing written, not even an audit entry


def test_vacancy_actions_answer_only_the_fields_asked_for(api_as: Any, alice: Any, make_vacancy: Any) -> None:
    hr = api_as(alice)
    draft, other = make_vacancy(publish=False), make_vacancy(publish=False)
    base = f"/api/v1/vacancies/{draft.reference}"
    published = hr.post(f"{base}/publish/?fields=reference,status")
    assert published.status_code == 200
    assert published.json() == {"reference": draft.reference, "status": "open"}
    later = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    extended = hr.post(f"{base}/extend/?fields=deadline", {"deadline": later}, format="json")
    assert extended.json() == {"deadline": later}
    edited = hr.patch(f"{base}/?fields=title", {"title": "Senior Officer"}, format="json")
    assert edited.status_code == 200 and edited.json() == {"title": "Senior Officer"}
    assert hr.post(f"{base}/close/?fields=status").json() == {"status": "closed"}
    cancelled = hr.post(f"/api/v1/vacancies/{other.reference}/cancel/?fields=status", {"reason": "No budget"})
    assert cancelled.json() == {"status": "cancelled"}


def test_a_create_honours_fields_and_a_bad_one_creates_nothing(
    api_as: Any, alice: Any, operation: Any, dimension: Any, expertise: Any
) -> None:
    from tests.secondments.test_api import vacancy_payload

    hr = api_as(alice)
    assert hr.post("/api/v1/vacancies/?fields=salary", vacancy_payload(), format="json").status_code == 400
    assert not Vacancy.objects.exists()
    created = hr.post("/api/v1/vacancies/?fields=reference,status", vacancy_payload(), format="json")
    assert created.status_code == 201
    assert created.json() == {"reference": Vacancy.objects.get().reference, "status": "draft"}


def test_nominate_withdraw_and_renew_answer_only_the_fields_asked_for(
    api_as: Any, alice: Any, bob: Any, vacancy: Vacancy
) -> None:
    from secondments.models import Nomination, Secondment
    from tests.secondments.conftest import candidate

    focal_point = api_as(bob)
    url = f"/api/v1/vacancies/{vacancy.reference}/nominations/"
    payload = {"candidate": candidate(), "motivation": "Experienced."}
    assert focal_point.post(f"{url}?fields=vacancy,salary", payload, format="json").status_code == 400
    assert not Nomination.objects.exists()
    nominated = focal_point.post(f"{url}?fields=id,status", payload, format="json")
    assert nominated.status_code == 201
    nomination = Nomination.objects.get()
    assert nominated.json() == {"id": nomination.pk, "status": "submitted"}

    other = focal_point.post(url, {"candidate": candidate(n=2)}, format="json").json()
    withdrawn = focal_point.post(f"/api/v1/nominations/{other['id']}/withdraw/?fields=status")
    assert withdrawn.json() == {"status": "withdrawn"}

    services.vacancy_close(actor=alice, vacancy=vacancy)
    for status in ("shortlisted", "selected"):
        services.nomination_decide(actor=alice, nomination=nomination, status=status)
    secondment = Secondment.objects.get()
    hr = api_as(alice)
    assert hr.post(f"/api/v1/secondments/{secondment.pk}/renew/?fields=nope").status_code == 400
    secondment.refresh_from_db()
    assert secondment.renewals == 0
    renewed = hr.post(f"/api/v1/secondments/{secondment.pk}/renew/?fields=renewals")
    assert renewed.status_code == 200 and renewed.json() == {"renewals": 1}
