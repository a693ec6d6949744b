"""Every endpoint and page of the app for anonymous, dave (no role), alice (HR), bob (the
nominating State's focal point) and carol (another State's focal point)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from secondments import services
from secondments.models import Secondment
from states.models import State
from tests.secondments.conftest import PDF

CAST = ("anonymous", "dave", "alice", "bob", "carol")


@pytest.fixture
def world(alice: Any, bob: Any, carol: Any, dave: Any, make_vacancy: Any) -> dict[str, Any]:
    """An open vacancy with bob's (Austria's) nomination, selected, with a CV; a draft; a vacancy
    with a submitted Austrian nomination."""
    at = State.objects.get(code="AT")
    open_vacancy = make_vacancy()
    draft = make_vacancy(publish=False)
    other = make_vacancy()
    nomination = services.nomination_submit(
        actor=bob,
        vacancy=open_vacancy,
        given_name="Anna",
        family_name="Huber",
        email="anna@example.org",
        nationality=at,
        gender="female",
        cv=SimpleUploadedFile("cv.pdf", PDF),
    )
    services.vacancy_close(actor=alice, vacancy=open_vacancy)
    services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    services.nomination_decide(actor=alice, nomination=nomination, status="selected")
    pending = services.nomination_submit(
        actor=bob,
        vacancy=other,
        given_name="Max",
        family_name="Muster",
        email="max@example.org",
        nationality=at,
        gender="male",
    )
    return {
        "ref": open_vacancy.reference,
        "draft": draft.reference,
        "other": other.reference,
        "nom": nomination.pk,
        "pending": pending.pk,
        "sec": Secondment.objects.get(nomination=nomination).pk,
    }


def client_for(who: str, request: Any, api_as: Any, api: bool) -> Any:
    if who == "anonymous":
        from rest_framework.test import APIClient

        return APIClient() if api else Client()
    user = request.getfixturevalue(who)
    if api:
        return api_as(user)
    client = Client()
    client.force_login(user)
    return client


# (method, path, {who: expected status}); 302 = sent to log in (pages) or redirected after a POST.
LOGIN = 302
PAGES = [
    ("get", "/vacancies/", dict.fromkeys(CAST, 200)),
    ("get", "/vacancies/{ref}/", dict.fromkeys(CAST, 200)),
    ("get", "/vacancies/{ref}/notice/", dict.fromkeys(CAST, 200)),
    ("get", "/vacancies/{draft}/", {"anonymous": 404, "dave": 404, "alice": 200, "bob": 404, "carol": 404}),
    (
        "get",
        "/vacancies/{draft}/notice/",
        {"anonymous": 404, "dave": 404, "alice": 200, "bob": 404, "carol": 404},
    ),
    ("get", "/vacancies/new/", {"anonymous": LOGIN, "dave": 403, "alice": 200, "bob": 403, "carol": 403}),
    (
        "get",
        "/vacancies/{ref}/edit/",
        {"anonymous": LOGIN, "dave": 403, "alice": 200, "bob": 403, "carol": 403},
    ),
    (
        "get",
        "/vacancies/dashboard/",
        {"anonymous": LOGIN, "dave": 403, "alice": 200, "bob": 403, "carol": 403},
    ),
    (
        "get",
        "/vacancies/statistics/",
        {"anonymous": LOGIN, "dave": 403, "alice": 200, "bob": 403, "carol": 403},
    ),
    (
        "get",
        "/vacancies/statistics.csv",
        {"anonymous": LOGIN, "dave": 403, "alice": 200, "bob": 403, "carol": 403},
    ),
    (
        "post",
        "/vacancies/{draft}/publish/",
        {"anonymous": LOGIN, "dave": 404, "alice": 302, "bob": 404, "carol": 404},
    ),
    (
        "post",
        "/vacancies/{other}/extend/",  # no new deadline given: 400 for HR
        {"anonymous": LOGIN, "dave": 403, "alice": 400, "bob": 403, "carol": 403},
    ),
    (
        "post",
        "/vacancies/{other}/close/",
        {"anonymous": LOGIN, "dave": 403, "alice": 302, "bob": 403, "carol": 403},
    ),
    (
        "post",
        "/vacancies/{draft}/cancel/",
        {"anonymous": LOGIN, "dave": 404, "alice": 302, "bob": 404, "carol": 404},
    ),
    (
        "get",
        "/vacancies/{other}/nominate/",
        {"anonymous": LOGIN, "dave": 403, "alice": 403, "bob": 200, "carol": 200},
    ),
    (
        "get",
        "/vacancies/{draft}/nominate/",
        {"anonymous": 404, "dave": 404, "alice": 403, "bob": 404, "carol": 404},
    ),
    ("get", "/vacancies/deadlines.ics", dict.fromkeys(CAST, 200)),
    ("get", "/vacancies/feed.atom", dict.fromkeys(CAST, 200)),
    (
        "get",
        "/vacancies/calendar/",
        {"anonymous": LOGIN, "dave": 200, "alice": 200, "bob": 200, "carol": 200},
    ),
    ("get", "/vacancies/calendar/not-a-token.ics", dict.fromkeys(CAST, 404)),
    (
        "get",
        "/vacancies/searches/",
        {"anonymous": LOGIN, "dave": 200, "alice": 200, "bob": 200, "carol": 200},
    ),
    ("get", "/nominations/", {"anonymous": LOGIN, "dave": 403, "alice": 200, "bob": 200, "carol": 200}),
    ("get", "/nominations/{nom}/", {"anonymous": LOGIN, "dave": 403, "alice": 200, "bob": 200, "carol": 404}),
    (
        "get",
        "/nominations/{nom}/cv/",
        {"anonymous": LOGIN, "dave": 403, "alice": 200, "bob": 200, "carol": 404},
    ),
    (
        "post",
        "/nominations/{pending}/decide/",  # no decision given: 400 for HR
        {"anonymous": LOGIN, "dave": 403, "alice": 400, "bob": 403, "carol": 404},
    ),
    (
        "post",
        "/nominations/{pending}/update/",
        {"anonymous": LOGIN, "dave": 403, "alice": 403, "bob": 302, "carol": 404},
    ),
    (
        "post",
        "/nominations/{pending}/withdraw/",
        {"anonymous": LOGIN, "dave": 403, "alice": 403, "bob": 302, "carol": 404},
    ),
    ("get", "/secondments/", {"anonymous": LOGIN, "dave": 403, "alice": 200, "bob": 200, "carol": 200}),
    (
        "post",
        "/secondments/{sec}/renew/",
        {"anonymous": LOGIN, "dave": 403, "alice": 302, "bob": 403, "carol": 404},
    ),
]

API = [
    ("get", "/api/v1/vacancies/", dict.fromkeys(CAST, 200)),
    ("get", "/api/v1/vacancies/{ref}/", dict.fromkeys(CAST, 200)),
    (
        "get",
        "/api/v1/vacancies/{draft}/",
        {"anonymous": 404, "dave": 404, "alice": 200, "bob": 404, "carol": 404},
    ),
    ("post", "/api/v1/vacancies/", {"anonymous": 401, "dave": 403, "alice": 400, "bob": 403, "carol": 403}),
    (
        "patch",
        "/api/v1/vacancies/{other}/",
        {"anonymous": 401, "dave": 403, "alice": 200, "bob": 403, "carol": 403},
    ),
    (
        "post",
        "/api/v1/vacancies/{draft}/publish/",
        {"anonymous": 401, "dave": 404, "alice": 200, "bob": 404, "carol": 404},
    ),
    (
        "post",
        "/api/v1/vacancies/{other}/close/",
        {"anonymous": 401, "dave": 403, "alice": 200, "bob": 403, "carol": 403},
    ),
    (
        "post",
        "/api/v1/vacancies/{other}/extend/",
        {"anonymous": 401, "dave": 403, "alice": 400, "bob": 403, "carol": 403},
    ),
    (
        "post",
        "/api/v1/vacancies/{other}/nominations/",
        {"anonymous": 401, "dave": 403, "alice": 403, "bob": 400, "carol": 400},
    ),
    ("get", "/api/v1/nominations/", {"anonymous": 401, "dave": 403, "alice": 200, "bob": 200, "carol": 200}),
    (
        "get",
        "/api/v1/nominations/{nom}/",
        {"anonymous": 401, "dave": 403, "alice": 200, "bob": 200, "carol": 404},
    ),
    (
        "patch",
        "/api/v1/nominations/{pending}/",  # no status: an update of the motivation, the State's own
        {"anonymous": 401, "dave": 403, "alice": 403, "bob": 200, "carol": 404},
    ),
    (
        "post",
        "/api/v1/nominations/{pending}/withdraw/",
        {"anonymous": 401, "dave": 403, "alice": 403, "bob": 200, "carol": 404},
    ),
    ("get", "/api/v1/secondments/", {"anonymous": 401, "dave": 403, "alice": 200, "bob": 200, "carol": 200}),
    (
        "get",
        "/api/v1/secondments/{sec}/",
        {"anonymous": 401, "dave": 403, "alice": 200, "bob": 200, "carol": 404},
    ),
    (
        "post",
        "/api/v1/secondments/{sec}/renew/",
        {"anonymous": 401, "dave": 403, "alice": 200, "bob": 403, "carol": 404},
    ),
]


def _cases(table: list[tuple[str, str, dict[str, int]]]) -> list[Any]:
    return [
        pytest.param(method, path, who, expected[who], id=f"{method} {path} {who}")
        for method, path, expected in table
        for who in CAST
    ]


@pytest.mark.parametrize(("method", "path", "who", "expected"), _cases(PAGES))
def test_pages(
    request: Any, api_as: Any, world: dict[str, Any], method: str, path: str, who: str, expected: int
) -> None:
    client = client_for(who, request, api_as, api=False)
    response = getattr(client, method)(path.format(**world))
    assert response.status_code == expected
    if expected == LOGIN and who == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("method", "path", "who", "expected"), _cases(API))
def test_api(
    request: Any, api_as: Any, world: dict[str, Any], method: str, path: str, who: str, expected: int
) -> None:
    client = client_for(who, request, api_as, api=True)
    response = getattr(client, method)(path.format(**world), {}, format="json")
    assert response.status_code == expected, response.content[:300]


def test_another_state_sees_nothing_in_lists(api_as: Any, carol: Any, world: dict[str, Any]) -> None:
    client = api_as(carol)
    assert client.get("/api/v1/nominations/").json()["count"] == 0
    assert client.get("/api/v1/secondments/").json()["count"] == 0
    page = Client()
    page.force_login(carol)
    html = page.get("/nominations/").content.decode()
    assert "Anna" not in html and "Huber" not in html
    html = page.get(f"/vacancies/{world['ref']}/").content.decode()
    assert "Huber" not in html


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_pages_have_one_h1_and_captioned_tables(request: Any, world: dict[str, Any], who: str) -> None:
    client = Client()
    client.force_login(request.getfixturevalue(who))
    for method, path, expected in PAGES:
        if method != "get" or expected[who] != 200 or path.endswith((".csv", ".ics", ".atom", "/cv/")):
            continue
        html = client.get(path.format(**world)).content.decode()
        assert html.count("<h1") == 1, path
        assert html.count("<table") == html.count("<caption"), path
