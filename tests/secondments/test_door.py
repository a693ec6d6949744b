"""The door of kept answers (``core.door``): an anonymous API answer replayed, byte for byte,
without Django or the database, only while the versions' mirror (``core.mirror``) says the tables
it read are as they were; never for a state older than a write that has been answered.

These tests commit (a transactional database): the mirror follows commits, which the usual tests'
rolled-back transaction never makes. The default cache is the real Redis, under a key prefix of
the test's own. Requests go through the WSGI application as the server calls it (``wsgi``).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.services import token_create
from bench.capture import wsgi_request
from core import door, mirror
from core.throttling import PortalRateThrottle
from core.versions import read_versions
from secondments.models import Vacancy

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/api/v1/vacancies/?page_size=50&status=open"


def full_path(method: str, url: str, **kwargs: Any) -> Any:
    """The same request to Django's handler alone (no door)."""
    return wsgi_request(WSGIHandler(), method, url, **kwargs)


def test_an_answer_is_replayed_without_the_database(
    mirror_on: None, wsgi: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    first = wsgi("GET", LIST)
    assert first.status_code == 200 and len(door.store) == 1
    with django_assert_num_queries(0):
        again = wsgi("GET", LIST)
    assert (again.status_code, again.headers, again.content) == (200, first.headers, first.content)
    # A conditional request: the full path's 304 once, then the door's.
    tag = first["ETag"]
    assert wsgi("GET", LIST, headers={"If-None-Match": tag}).status_code == 304
    with django_assert_num_queries(0):
        early = wsgi("GET", LIST, headers={"If-None-Match": f'"other", {tag}'})
    assert early.status_code == 304 and early["ETag"] == tag and early.content == b""
    with django_assert_num_queries(0):  # a tag that does not match: the kept answer
        assert wsgi("GET", LIST, headers={"If-None-Match": '"other"'}).content == first.content


@pytest.mark.parametrize("detail", [False, True])
def test_the_door_answers_what_the_full_path_answers(
    mirror_on: None, wsgi: Any, vacancy: Vacancy, detail: bool, django_assert_num_queries: Any
) -> None:
    url = f"/api/v1/vacancies/{vacancy.reference}/" if detail else LIST
    french = {"Accept-Language": "fr"}
    wsgi("GET", url, headers=french)
    with django_assert_num_queries(0):
        kept = wsgi("GET", url, headers=french)
    full = full_path("GET", url, headers=french)
    assert (kept.status_code, kept.headers, kept.content) == (full.status_code, full.headers, full.content)
    assert kept["Content-Language"] == "fr"
    conditional = {**french, "If-None-Match": kept["ETag"]}
    wsgi("GET", url, headers=conditional)
    with django_assert_num_queries(0):
        early = wsgi("GET", url, headers=conditional)
    full = full_path("GET", url, headers=conditional)
    assert (early.status_code, early.headers) == (full.status_code, full.headers) == (304, full.headers)
    wsgi("HEAD", url, headers=french)  # HEAD too, kept apart
    with django_assert_num_queries(0):
        head = wsgi("HEAD", url, headers=french)
    assert head.headers == full_path("HEAD", url, headers=french).headers


def test_every_write_is_seen_before_it_is_answered(
    mirror_on: None, wsgi: Any, api_as: Any, alice: Any, vacancy: Vacancy
) -> None:
    # Through the API (a service in a transaction, committed before the answer).
    before = wsgi("GET", LIST)
    wsgi("GET", LIST)
    later = (vacancy.deadline + datetime.timedelta(days=3)).isoformat()
    extended = api_as(alice).post(
        f"/api/v1/vacancies/{vacancy.reference}/extend/", {"deadline": later}, format="json"
    )
    assert extended.status_code == 200, extended.content
    answer = wsgi("GET", LIST)
    assert answer["ETag"] != before["ETag"] and later[:10] in answer.content.decode()
    assert wsgi("GET", LIST, headers={"If-None-Match": before["ETag"]}).status_code == 200
    # A queryset update in autocommit (the admin's bulk actions, a shell).
    Vacancy.objects.filter(pk=vacancy.pk).update(title="Renamed in bulk")
    assert b"Renamed in bulk" in wsgi("GET", LIST).content
    # Raw SQL in a transaction: seen at its commit, not before.
    wsgi("GET", LIST)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE secondments_vacancy SET title = 'Raw' WHERE id = %s", [vacancy.pk])
        assert b"Renamed in bulk" in wsgi("GET", LIST).content  # not committed yet
    assert b'"Raw"' in wsgi("GET", LIST).content


def test_a_rolled_back_write_leaves_the_answer_kept(
    mirror_on: None, wsgi: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    wsgi("GET", LIST)
    with pytest.raises(RuntimeError), transaction.atomic():
        Vacancy.objects.filter(pk=vacancy.pk).update(title="Never")
        raise RuntimeError
    with django_assert_num_queries(0):
        assert wsgi("GET", LIST).status_code == 200


def test_a_write_outside_the_portal_counts_once_the_mirror_expires(
    mirror_on: None, wsgi: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    wsgi("GET", LIST)
    # As psql would: a write the hook does not see (the hook is the only thing that refreshes).
    connection.execute_wrappers.remove(mirror._after_write)
    try:
        Vacancy.objects.filter(pk=vacancy.pk).update(title="From psql")
    finally:
        connection.execute_wrappers.append(mirror._after_write)
    assert b"From psql" not in wsgi("GET", LIST).content  # the documented window
    ttl = caches["default"].redis().ttl(caches["default"].make_and_validate_key(mirror.MIRROR_KEY))
    assert 0 < ttl <= mirror.MIRROR_SECONDS
    mirror.forget()  # what expiry does
    assert b"From psql" in wsgi("GET", LIST).content
    # The mirror made again from the database's versions: the new answer is kept and replayed.
    with django_assert_num_queries(0):
        assert b"From psql" in wsgi("GET", LIST).content


def test_redis_forgetting_the_script_or_dropping_the_connection_changes_nothing(
    mirror_on: None, wsgi: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    first = wsgi("GET", LIST)
    redis = caches["default"].redis()
    redis.script_flush()  # as a restarted Redis: the door loads its script again
    with django_assert_num_queries(0):
        assert wsgi("GET", LIST).content == first.content
    _pool, connection = mirror._local.connections[id(redis.connection_pool)]  # the door's own here
    connection.send_command("CLIENT", "ID")
    redis.client_kill_filter(_id=connection.read_response())  # as Redis restarting would drop it
    assert wsgi("GET", LIST).content == first.content  # this one fails: the full path answers
    with django_assert_num_queries(0):  # a new connection for the next
        assert wsgi("GET", LIST).content == first.content


def test_a_merge_never_moves_a_number_back(mirror_on: None) -> None:
    mirror.merge({"secondments_vacancy": 50, "states_state": 7})
    mirror.merge({"secondments_vacancy": 40, "states_state": 9})
    assert mirror.read()[0] == {"secondments_vacancy": 50, "states_state": 9}


def test_the_mirror_holds_the_databases_versions_after_a_write(mirror_on: None, vacancy: Vacancy) -> None:
    Vacancy.objects.filter(pk=vacancy.pk).update(title="x")
    found = mirror.read().versions
    assert found is not None and found["secondments_vacancy"] == read_versions()["secondments_vacancy"]


@pytest.mark.parametrize(
    "extra",
    [
        {"Accept": "text/html"},  # the browsable API: another representation
        {"Authorization": "Bearer not-a-token"},  # whoever sends a token
        {"Cookie": "sessionid=whatever"},  # maybe signed in
    ],
)
def test_other_requests_take_the_full_path(
    mirror_on: None, wsgi: Any, vacancy: Vacancy, extra: dict[str, str]
) -> None:
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            wsgi("GET", LIST, headers=extra)
        assert len(queries) > 0
    assert len(door.store) == 0


def test_a_signed_in_client_is_never_answered_the_anonymous_answer(
    mirror_on: None, wsgi: Any, client: Any, alice: Any, vacancy: Vacancy
) -> None:
    anonymous = wsgi("GET", LIST)
    wsgi("GET", LIST)  # kept
    client.force_login(alice)
    _token, raw = token_create(user=alice, name="test")
    for credentials in (
        {"Cookie": f"sessionid={client.cookies['sessionid'].value}"},
        {"Authorization": f"Bearer {raw}"},
    ):
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                signed_in = wsgi("GET", LIST, headers=credentials)
            assert signed_in.status_code == 200 and len(queries) > 0
            assert signed_in["ETag"] != anonymous["ETag"]


def test_each_request_counts_once_against_the_rate_limit(
    mirror_on: None, wsgi: Any, vacancy: Vacancy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PortalRateThrottle, "THROTTLE_RATES", {"anon": "4/min", "user": "4/min"})
    tag = wsgi("GET", LIST)["ETag"]  # 1: the full path
    # 2: the door, 3: a 304 the door has not seen (the door counts, the full path takes its count),
    # 4: the door's 304, 5: over the limit.
    statuses = [wsgi("GET", LIST, headers=headers).status_code for headers in ({}, {"If-None-Match": tag})]
    statuses += [wsgi("GET", LIST, headers={"If-None-Match": tag}).status_code for _ in range(2)]
    assert statuses == [200, 304, 304, 429]


@pytest.fixture
def redis_down(settings: Any) -> None:
    """The default cache a Redis that does not answer (so no mirror can be read or merged)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": "unix:///nonexistent/redis.sock",
        },
    }


def test_while_redis_is_down_the_answers_follow_the_database(
    redis_down: None, wsgi: Any, vacancy: Vacancy
) -> None:
    tag = wsgi("GET", LIST)["ETag"]
    assert wsgi("GET", LIST, headers={"If-None-Match": tag}).status_code == 304
    Vacancy.objects.filter(pk=vacancy.pk).update(title="Changed")  # the hook cannot reach Redis: no error
    assert b'"Changed"' in wsgi("GET", LIST).content
    assert wsgi("GET", LIST, headers={"If-None-Match": tag}).status_code == 200


def test_while_redis_is_down_the_door_does_not_read_the_database_for_it(
    redis_down: None, wsgi: Any, vacancy: Vacancy, monkeypatch: pytest.MonkeyPatch
) -> None:
    wsgi("GET", LIST)
    assert len(door.store) == 1
    refreshed: list[str] = []
    monkeypatch.setattr(mirror, "refresh", lambda using="default": refreshed.append(using))
    assert wsgi("GET", LIST).status_code == 200  # the full path, which reads the versions itself
    assert refreshed == []  # no refresh: it could not be merged, and would repeat on each request


def test_a_failure_at_the_door_leaves_the_answer_to_the_full_path(
    mirror_on: None, wsgi: Any, vacancy: Vacancy, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    first = wsgi("GET", LIST)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("broken")

    monkeypatch.setattr(door.KeptAnswersDoor, "_answer", staticmethod(broken))
    again = wsgi("GET", LIST)
    assert again.status_code == 200 and again.content == first.content
    assert "the full path answers" in caplog.text


def test_the_language_is_the_full_paths(
    mirror_on: None, wsgi: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    english = wsgi("GET", LIST)
    german = {"Cookie": "django_language=de", "Accept-Language": "fr"}  # the cookie wins
    first = wsgi("GET", LIST, headers=german)
    assert first["ETag"] != english["ETag"] and first["Content-Language"] == "de"
    with django_assert_num_queries(0):
        again = wsgi("GET", LIST, headers=german)
    assert again["Content-Language"] == "de" and again.content == first.content
    # The German tag revalidated: 304 in German (the second at the door); the English tag: 200.
    revalidate = {**german, "If-None-Match": first["ETag"]}
    assert wsgi("GET", LIST, headers=revalidate).status_code == 304
    with django_assert_num_queries(0):
        not_modified = wsgi("GET", LIST, headers=revalidate)
    assert not_modified.status_code == 304 and not_modified["Content-Language"] == "de"
    assert wsgi("GET", LIST, headers={**german, "If-None-Match": english["ETag"]}).status_code == 200
    assert wsgi("GET", LIST)["Content-Language"] == "en"
    # Kept in English: the same request naming another language is answered in it.
    assert wsgi("GET", LIST, headers={"Accept-Language": "fr"})["Content-Language"] == "fr"
    # Kept in French: the same request with a language cookie too.
    wsgi("GET", LIST, headers={"Accept-Language": "fr"})
    cookie = wsgi("GET", LIST, headers={"Accept-Language": "fr", "Cookie": "django_language=it"})
    assert cookie["Content-Language"] == "it"


def sets_a_cookie(get_response: Any) -> Any:
    def middleware(request: Any) -> Any:
        response = get_response(request)
        response.set_cookie("seen", "1")
        return response

    return middleware


def names_a_nonce(get_response: Any) -> Any:
    def middleware(request: Any) -> Any:
        response = get_response(request)
        response["Content-Security-Policy"] = "script-src 'nonce-abc'"
        return response

    return middleware


@pytest.mark.parametrize("middleware", ["sets_a_cookie", "names_a_nonce"])
def test_an_answer_with_a_cookie_or_a_nonce_is_not_kept(
    mirror_on: None, vacancy: Vacancy, settings: Any, middleware: str
) -> None:
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.{middleware}"]
    application = door.KeptAnswersDoor(WSGIHandler())
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert wsgi_request(application, "GET", LIST).status_code == 200
        assert len(queries) > 0
    assert len(door.store) == 0


def test_what_is_kept_is_bounded(mirror_on: None, wsgi: Any, vacancy: Vacancy, settings: Any) -> None:
    size = len(wsgi("GET", LIST).content)
    settings.DOOR_BYTES = 4 * (size + 2048)  # (a settings change empties the door)
    for page_size in range(1, 8):
        wsgi("GET", f"/api/v1/vacancies/?page_size={page_size}")
    assert len(door.store) > 0 and door.store._bytes <= settings.DOOR_BYTES
    settings.DOOR_BYTES = 3 * (size + 2048)  # an answer over a quarter of the budget is not kept
    wsgi("GET", LIST)
    assert len(door.store) == 0
