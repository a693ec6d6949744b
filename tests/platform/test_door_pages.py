"""Kept pages answered at the door (``core.door``): ``/vacancies/``, ``/missions/`` and a mission's
page, for readers without a session, without Django's views or the database, while the versions'
mirror says the page's key is the one it was kept under: the very answer the full path gives.

Transactional: the mirror follows commits. Requests go through the WSGI application (``wsgi``).
"""

from __future__ import annotations

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


def urls(operation: FieldOperation) -> list[str]:
    return ["/vacancies/", "/missions/", operation.get_absolute_url()]


def test_a_kept_page_is_answered_at_the_door_as_the_full_path_answers_it(
    mirror_on: None, wsgi: Any, operation: FieldOperation, django_assert_num_queries: Any
) -> None:
    for url in urls(operation):
        wsgi("GET", url)  # rendered and kept
        with django_assert_num_queries(0):
            kept = wsgi("GET", url)
        full = wsgi_request(WSGIHandler(), "GET", url)
        assert kept.status_code == full.status_code == 200, url
        assert kept.headers == full.headers, url  # every header, in order, the ETag too
        assert kept.content == full.content, url
        assert kept["Content-Length"] == str(len(kept.content))
        assert kept.get("Set-Cookie") is None and b"csrfmiddlewaretoken" not in kept.content


def test_the_kept_pages_language_switcher_works(
    mirror_on: None, wsgi: Any, operation: FieldOperation
) -> None:
    wsgi("GET", "/vacancies/")
    assert b'action="/i18n/setlang/"' in wsgi("GET", "/vacancies/").content
    posted = wsgi(
        "POST",
        "/i18n/setlang/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "same-origin",  # what the browser sends with the page's form
            "Origin": "http://127.0.0.1",
        },
        body=b"language=fr&next=/vacancies/",
    )
    assert posted.status_code == 302, posted.content[:300]
    assert "django_language=fr" in posted["Set-Cookie"]
    french = wsgi("GET", "/vacancies/", headers={"Cookie": "django_language=fr"})
    assert b'<html lang="fr"' in french.content


def test_a_reader_with_a_csrf_cookie_gets_the_kept_page(
    mirror_on: None, wsgi: Any, operation: FieldOperation, django_assert_num_queries: Any
) -> None:
    login = wsgi("GET", "/accounts/login/")  # where a reader gets a CSRF cookie
    secret = login["Set-Cookie"].split(";")[0]
    wsgi("GET", "/vacancies/")  # kept for a reader without cookies
    reader = {"Cookie": secret}
    with django_assert_num_queries(0):
        kept = wsgi("GET", "/vacancies/", headers=reader)
    full = wsgi_request(WSGIHandler(), "GET", "/vacancies/", headers=reader)
    assert kept.headers == full.headers and kept.content == full.content
    assert kept.get("Set-Cookie") is None  # its cookie stays as it is


def test_a_csrf_cookie_django_replaces_takes_the_full_path(
    mirror_on: None, wsgi: Any, operation: FieldOperation, django_assert_num_queries: Any
) -> None:
    wsgi("GET", "/vacancies/")
    reader = {"Cookie": "csrftoken=not-a-secret"}
    with CaptureQueriesContext(connection) as queries:
        replaced = wsgi("GET", "/vacancies/", headers=reader)
    assert len(queries) > 0  # not the door's
    assert replaced["Set-Cookie"].startswith("csrftoken=") and "not-a-secret" not in replaced["Set-Cookie"]
    full = wsgi_request(WSGIHandler(), "GET", "/vacancies/", headers=reader)
    assert replaced.content == full.content
    # That reader's answer (its new cookie) is not kept for the others.
    with django_assert_num_queries(0):
        assert wsgi("GET", "/vacancies/").get("Set-Cookie") is None


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
