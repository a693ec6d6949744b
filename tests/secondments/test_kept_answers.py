"""API answers kept per process under their ETag (``core.versions.VersionedETagMixin``).

The ETag names everything the answer depends on (the tables' versions, who asks, the URL, the
language, the representation, the date), so the answer kept under it is served again for as long
as a request gets that ETag: after authentication, the throttle and the policy, with one query
(the versions).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from secondments import services
from secondments.models import Vacancy
from tests.secondments.conftest import candidate

LIST = "/api/v1/vacancies/?page_size=50"


@pytest.fixture(autouse=True)
def _empty() -> Iterator[None]:
    caches["answers"].clear()
    yield
    caches["answers"].clear()


def test_the_same_request_is_answered_from_the_kept_answer(
    api: APIClient, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    first = api.get(LIST)
    with django_assert_num_queries(1):  # the versions (the ETag): no row is read
        second = api.get(LIST)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert second["Content-Type"] == first["Content-Type"] == "application/json"
    assert second["Vary"] == first["Vary"] and second["Allow"] == first["Allow"]
    detail = f"/api/v1/vacancies/{vacancy.reference}/"
    first = api.get(detail)
    with django_assert_num_queries(1):
        assert api.get(detail).content == first.content


def test_a_write_is_in_the_next_answer(api: APIClient, alice: Any, vacancy: Vacancy) -> None:
    api.get(LIST)
    Vacancy.objects.filter(pk=vacancy.pk).update(title="Renamed in bulk")  # no signal: the version
    assert api.get(LIST).json()["results"][0]["title"] == "Renamed in bulk"
    services.vacancy_close(actor=alice, vacancy=vacancy, reason="")
    assert api.get(LIST + "&status=closed").json()["count"] == 1


def test_each_caller_url_language_and_scheme_its_own_answer(
    api: APIClient, api_as: Any, alice: Any, make_vacancy: Any, vacancy: Vacancy
) -> None:
    make_vacancy(publish=False)  # a draft: HR's list shows it
    assert api.get(LIST).json()["count"] == 1
    assert api_as(alice).get(LIST).json()["count"] == 2
    assert api.get(LIST).json()["count"] == 1  # never HR's kept answer
    assert list(api.get(LIST + "&fields=reference").json()["results"][0]) == ["reference"]
    assert "url" in api.get(LIST).json()["results"][0]
    assert api.get(LIST, secure=True).json()["results"][0]["url"].startswith("https://")
    assert api.get(LIST).json()["results"][0]["url"].startswith("http://")


def test_a_focal_points_answer_is_its_own(
    api_as: Any, bob: Any, carol: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    from states.models import State

    services.nomination_submit(
        actor=bob, vacancy=vacancy, **candidate(nationality=State.objects.get(code="AT"))
    )
    as_bob, as_carol = api_as(bob), api_as(carol)
    assert as_bob.get("/api/v1/nominations/").json()["count"] == 1
    assert as_carol.get("/api/v1/nominations/").json()["count"] == 0  # never Bob's kept answer
    assert as_bob.get("/api/v1/nominations/").json()["count"] == 1


def test_refusals_and_other_formats_are_not_kept(api: APIClient, vacancy: Vacancy) -> None:
    assert api.get(LIST + "&status=nonsense").status_code == 400
    assert api.get(LIST + "&status=nonsense").status_code == 400
    csv = api.get(LIST + "&format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert api.get(LIST, HTTP_ACCEPT="text/html").status_code == 200  # the browsable API
    assert all(key.startswith(":1:answer:") for key in caches["answers"]._cache)  # type: ignore[attr-defined]
    assert len(caches["answers"]._cache) == 0  # type: ignore[attr-defined]
    api.get(LIST)
    assert len(caches["answers"]._cache) == 1  # type: ignore[attr-defined]


def test_the_throttle_still_counts_a_kept_answer(
    api: APIClient, vacancy: Vacancy, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.throttling import PortalRateThrottle

    caches["default"].clear()
    monkeypatch.setattr(PortalRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "2/min"})
    assert [api.get(LIST).status_code for _ in range(3)] == [200, 200, 429]
