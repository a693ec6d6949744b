"""The early 304 (``core.middleware.EarlyNotModifiedMiddleware``) from the versions' mirror in Redis
(``core.mirror``): answered without the database, and never for a state older than a write that
has been answered.

These tests commit (a transactional database): the mirror follows commits, which the usual tests'
rolled-back transaction never makes. The default cache is the real Redis, under a key prefix of
the test's own.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core import mirror
from core.throttling import PortalRateThrottle
from core.versions import read_versions
from secondments.models import Vacancy

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/api/v1/vacancies/?page_size=50&status=open"


@pytest.fixture
def mirror_on(settings: Any) -> Iterator[None]:
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-mirror-{uuid.uuid4().hex}",
        },
    }
    assert mirror.mirror_cache() is not None
    yield
    mirror.forget()


def cached_etag(api: APIClient, path: str = LIST, **extra: str) -> str:
    first = api.get(path, **extra)
    assert first.status_code == 200
    return str(first["ETag"])


def test_a_matching_tag_is_answered_without_the_database(
    mirror_on: None, api: APIClient, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    tag = cached_etag(api)
    with django_assert_num_queries(0):
        again = api.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag and again.content == b""
    with django_assert_num_queries(0):  # HEAD too, and a list of tags naming it
        assert api.head(LIST, HTTP_IF_NONE_MATCH=f'"other", {tag}').status_code == 304


@pytest.mark.parametrize("detail", [False, True])
def test_the_early_304_carries_the_full_paths_headers(
    mirror_on: None,
    api: APIClient,
    vacancy: Vacancy,
    settings: Any,
    detail: bool,
    django_assert_num_queries: Any,
) -> None:
    path = f"/api/v1/vacancies/{vacancy.reference}/" if detail else LIST
    tag = cached_etag(api, path, HTTP_ACCEPT_LANGUAGE="fr")
    with django_assert_num_queries(0):  # answered early: the French tag made in French
        early = api.get(path, HTTP_IF_NONE_MATCH=tag, HTTP_ACCEPT_LANGUAGE="fr")
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("EarlyNotModifiedMiddleware")
    ]
    full = api.get(path, HTTP_IF_NONE_MATCH=tag, HTTP_ACCEPT_LANGUAGE="fr")
    assert early.status_code == full.status_code == 304
    assert dict(early.headers) == dict(full.headers)


def test_a_detail_tag_too(
    mirror_on: None, api: APIClient, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    path = f"/api/v1/vacancies/{vacancy.reference}/"
    tag = cached_etag(api, path)
    with django_assert_num_queries(0):
        assert api.get(path, HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_every_write_is_in_the_mirror_before_it_is_answered(
    mirror_on: None, api: APIClient, api_as: Any, alice: Any, vacancy: Vacancy
) -> None:
    # Through the API (a service in a transaction, committed before the answer).
    tag = cached_etag(api)
    later = (vacancy.deadline + datetime.timedelta(days=3)).isoformat()
    extended = api_as(alice).post(
        f"/api/v1/vacancies/{vacancy.reference}/extend/", {"deadline": later}, format="json"
    )
    assert extended.status_code == 200, extended.content
    answer = api.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert answer.status_code == 200 and answer["ETag"] != tag
    # A queryset update in autocommit (the admin's bulk actions, a shell).
    tag = answer["ETag"]
    Vacancy.objects.filter(pk=vacancy.pk).update(title="Renamed in bulk")
    answer = api.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert answer.status_code == 200 and answer.json()["results"][0]["title"] == "Renamed in bulk"
    # Raw SQL in a transaction: in the mirror at its commit.
    tag = answer["ETag"]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE secondments_vacancy SET title = 'Raw' WHERE id = %s", [vacancy.pk])
        assert api.get(LIST, HTTP_IF_NONE_MATCH=tag).status_code == 304  # not committed yet
    answer = api.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert answer.status_code == 200 and answer.json()["results"][0]["title"] == "Raw"


def test_a_rolled_back_write_leaves_the_tag_valid(mirror_on: None, api: APIClient, vacancy: Vacancy) -> None:
    tag = cached_etag(api)
    with pytest.raises(RuntimeError), transaction.atomic():
        Vacancy.objects.filter(pk=vacancy.pk).update(title="Never")
        raise RuntimeError
    assert api.get(LIST, HTTP_IF_NONE_MATCH=tag).status_code == 304


def test_a_write_outside_the_portal_counts_once_the_mirror_expires(
    mirror_on: None, api: APIClient, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    tag = cached_etag(api)
    # As psql would: a write the hook does not see (the hook is the only thing that refreshes).
    connection.execute_wrappers.remove(mirror._after_write)
    try:
        Vacancy.objects.filter(pk=vacancy.pk).update(title="From psql")
    finally:
        connection.execute_wrappers.append(mirror._after_write)
    assert api.get(LIST, HTTP_IF_NONE_MATCH=tag).status_code == 304  # the documented window
    ttl = caches["default"].redis().ttl(caches["default"].make_and_validate_key(mirror.MIRROR_KEY))
    assert 0 < ttl <= mirror.MIRROR_SECONDS
    mirror.forget()  # what expiry does
    answer = api.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert answer.status_code == 200 and answer.json()["results"][0]["title"] == "From psql"
    # The mirror made again from the database's versions: the new tag is answered early.
    with django_assert_num_queries(0):
        assert api.get(LIST, HTTP_IF_NONE_MATCH=answer["ETag"]).status_code == 304


def test_a_merge_never_moves_a_number_back(mirror_on: None) -> None:
    mirror.merge({"secondments_vacancy": 50, "states_state": 7})
    mirror.merge({"secondments_vacancy": 40, "states_state": 9})
    assert mirror.read()[0] == {"secondments_vacancy": 50, "states_state": 9}


def test_the_mirror_holds_the_databases_versions_after_a_write(mirror_on: None, vacancy: Vacancy) -> None:
    Vacancy.objects.filter(pk=vacancy.pk).update(title="x")
    found, _ = mirror.read()
    assert found is not None and found["secondments_vacancy"] == read_versions()["secondments_vacancy"]


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_ACCEPT": "text/html"},  # the browsable API: another representation
        {"HTTP_ACCEPT": "text/csv"},
        {"HTTP_AUTHORIZATION": "Bearer not-a-token"},  # whoever sends a token: the full path
    ],
)
def test_other_requests_take_the_full_path(
    mirror_on: None, api: APIClient, vacancy: Vacancy, extra: dict[str, str]
) -> None:
    tag = cached_etag(api)
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(LIST, HTTP_IF_NONE_MATCH=tag, **extra)
    assert answer.status_code != 304 and len(queries) > 0


def test_a_signed_in_client_takes_the_full_path(
    mirror_on: None, api: APIClient, alice: Any, vacancy: Vacancy
) -> None:
    tag = cached_etag(api)  # the anonymous tag, replayed with a session
    api.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(LIST, HTTP_IF_NONE_MATCH=tag)
    assert answer.status_code == 200 and answer["ETag"] != tag and len(queries) > 0


def test_the_early_304_counts_against_the_rate_limit(
    mirror_on: None, api: APIClient, vacancy: Vacancy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PortalRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    tag = cached_etag(api)  # the first of three
    statuses = [api.get(LIST, HTTP_IF_NONE_MATCH=tag).status_code for _ in range(3)]
    assert statuses == [304, 304, 429]


def test_while_redis_is_down_the_full_path_answers(settings: Any, api: APIClient, vacancy: Vacancy) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": "unix:///nonexistent/redis.sock",
        },
    }
    tag = cached_etag(api)
    assert api.get(LIST, HTTP_IF_NONE_MATCH=tag).status_code == 304  # from the database's versions
    Vacancy.objects.filter(pk=vacancy.pk).update(title="Changed")  # the hook cannot reach Redis: no error
    assert api.get(LIST, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_the_language_is_picked_as_the_full_path_picks_it(
    mirror_on: None, api: APIClient, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    english = cached_etag(api)
    api.cookies["django_language"] = "de"  # the language cookie wins over Accept-Language
    german = cached_etag(api, HTTP_ACCEPT_LANGUAGE="fr")
    assert german != english
    with django_assert_num_queries(0):
        answer = api.get(LIST, HTTP_IF_NONE_MATCH=german, HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 304 and answer["Content-Language"] == "de"
    assert api.get(LIST, HTTP_IF_NONE_MATCH=english).status_code == 200  # German now: another answer
