"""Kept pages answered at the door (``core.door``): ``/vacancies/``, ``/missions/`` and a mission's
page, for readers without a session, without Django's views or the database, while the versions'
mirror says the page's key is the one it was kept under; each reader with its own CSRF token and
cookie, as the full path gives them.

Transactional: the mirror follows commits. Requests go through the WSGI application (``wsgi``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.capture import wsgi_request
from core import door
from missions.models import FieldOperation
from secondments.models import Vacancy

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_page_caches")]

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
SECRET = re.compile(r"csrftoken=([A-Za-z0-9]+);")


def urls(operation: FieldOperation) -> list[str]:
    return ["/vacancies/", "/missions/", operation.get_absolute_url()]


def without_token(body: bytes) -> bytes:
    return TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', body)


def cookie_of(answer: Any) -> str:
    found = SECRET.search(answer["Set-Cookie"])
    assert found is not None
    return found.group(1)


def test_a_kept_page_is_answered_at_the_door_as_the_full_path_answers_it(
    mirror_on: None, wsgi: Any, operation: FieldOperation, django_assert_num_queries: Any
) -> None:
    for url in urls(operation):
        wsgi("GET", url)  # rendered and kept
        with django_assert_num_queries(0):
            kept = wsgi("GET", url)
        full = wsgi_request(WSGIHandler(), "GET", url)
        assert kept.status_code == full.status_code == 200, url
        assert [name for name, _ in kept.headers] == [name for name, _ in full.headers], url
        fresh = {"ETag", "Set-Cookie", "Content-Length"}  # a new CSRF secret for each cookieless reader
        assert [h for h in kept.headers if h[0] not in fresh] == [
            h for h in full.headers if h[0] not in fresh
        ]
        assert without_token(kept.content) == without_token(full.content), url
        assert kept["Content-Length"] == str(len(kept.content))
        # The cookie as Django sets it; the token a fresh mask of its secret, a new one each time.
        assert SECRET.sub("", kept["Set-Cookie"]) == SECRET.sub("", full["Set-Cookie"])
        tokens = TOKEN.findall(kept.content)
        assert tokens and len(tokens[0]) == 64
        assert TOKEN.findall(wsgi("GET", url).content)[0] != tokens[0]


def test_the_doors_token_and_cookie_are_accepted(
    mirror_on: None, wsgi: Any, operation: FieldOperation
) -> None:
    wsgi("GET", "/vacancies/")
    kept = wsgi("GET", "/vacancies/")
    token = TOKEN.findall(kept.content)[0].decode()
    posted = wsgi(
        "POST",
        "/i18n/setlang/",
        headers={
            "Cookie": f"csrftoken={cookie_of(kept)}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "http://127.0.0.1/vacancies/",
        },
        body=f"language=fr&next=/vacancies/&csrfmiddlewaretoken={token}".encode(),
    )
    assert posted.status_code == 302, posted.content[:300]


def test_a_reader_with_a_csrf_cookie_keeps_its_secret(
    mirror_on: None, wsgi: Any, operation: FieldOperation, django_assert_num_queries: Any
) -> None:
    first = cookie_of(wsgi("GET", "/vacancies/"))  # kept with this reader's answer
    secret = cookie_of(wsgi("GET", "/vacancies/"))  # another cookieless reader, another secret
    assert secret != first
    reader = {"Cookie": f"csrftoken={secret}"}
    with django_assert_num_queries(0):  # the page kept for the cookieless reader serves this one too
        kept = wsgi("GET", "/vacancies/", headers=reader)
    assert cookie_of(kept) == secret
    full = wsgi_request(WSGIHandler(), "GET", "/vacancies/", headers=reader)
    assert kept["ETag"] == full["ETag"]  # the page's key and the same secret
    # The full path answers the browser's revalidation with the door's tag: 304.
    revalidated = wsgi("GET", "/vacancies/", headers={**reader, "If-None-Match": kept["ETag"]})
    assert revalidated.status_code == 304


def test_a_write_is_on_the_page_at_once(
    mirror_on: None, wsgi: Any, operation: FieldOperation, django_assert_num_queries: Any
) -> None:
    for url in urls(operation):
        wsgi("GET", url)
    Vacancy.objects.filter(title="Kept Officer").update(title="Renamed Kept Officer")
    FieldOperation.objects.filter(pk=operation.pk).update(name="Mission to Renamed Cacheland")
    assert b"Renamed Kept Officer" in wsgi("GET", "/vacancies/").content
    assert b"Mission to Renamed Cacheland" in wsgi("GET", "/missions/").content
    assert b"Mission to Renamed Cacheland" in wsgi("GET", operation.get_absolute_url()).content
    with django_assert_num_queries(0):
        assert b"Renamed Kept Officer" in wsgi("GET", "/vacancies/").content


@pytest.mark.parametrize(
    "headers",
    [
        {"Cookie": "sessionid=whatever"},  # maybe signed in
        {"Cookie": "messages=whatever"},  # a message waiting
        {"X-Requested-With": "fetch"},  # the results region alone
        {"Authorization": "Bearer whatever"},
        {"If-None-Match": 'W/"p0"'},  # a revalidation: the full path's 304 or page
    ],
)
def test_other_readers_take_the_full_path(
    mirror_on: None, wsgi: Any, operation: FieldOperation, headers: dict[str, str]
) -> None:
    wsgi("GET", "/vacancies/")  # kept for the plain reader
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert wsgi("GET", "/vacancies/", headers=headers).status_code == 200
        assert len(queries) > 0


def test_without_a_mirror_pages_take_the_full_path(wsgi: Any, operation: FieldOperation) -> None:
    wsgi("GET", "/vacancies/")
    assert len(door.store) == 1
    with CaptureQueriesContext(connection) as queries:
        assert wsgi("GET", "/vacancies/").status_code == 200
    assert len(queries) == 1  # the versions: the page kept by the view
