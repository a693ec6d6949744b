"""/secondments/ (issue 11 part 3): names, filters, "ending soon"; a focal point sees its own only."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from secondments import services
from secondments.models import Secondment, Vacancy
from states.models import State


def _select(vacancy: Vacancy, alice: Any, picks: list[tuple[Any, str, int]], start: datetime.date) -> None:
    """Each (focal point, State code, n) nominates a candidate; HR selects them all from ``start``."""
    nominations = [
        services.nomination_submit(
            actor=user,
            vacancy=vacancy,
            given_name="Anna",
            family_name=f"Huber{n}",
            email=f"anna.huber{n}@example.org",
            nationality=State.objects.get(code=code),
            gender="female",
        )
        for user, code, n in picks
    ]
    services.vacancy_close(actor=alice, vacancy=vacancy)
    for nomination in nominations:
        services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
        services.nomination_decide(actor=alice, nomination=nomination, status="selected", start=start)


@pytest.fixture
def seconded(alice: Any, bob: Any, carol: Any, make_vacancy: Any) -> list[Secondment]:
    """Two Austrians and a German on one post each; one Austrian ends within 60 days."""
    _select(make_vacancy(posts=2), alice, [(bob, "AT", 1), (carol, "DE", 2)], datetime.date(2026, 6, 1))
    soon = timezone.localdate() + datetime.timedelta(days=20)
    _select(make_vacancy(posts=1), alice, [(bob, "AT", 3)], soon.replace(year=soon.year - 1))
    return list(Secondment.objects.order_by("pk"))


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_hr_sees_every_secondment_with_names(client: Client, alice: Any, seconded: list[Secondment]) -> None:
    page = _login(client, alice).get("/secondments/").content.decode()
    assert "Anna Huber1" in page and "Anna Huber2" in page and "Anna Huber3" in page
    assert "Austria" in page and "Germany" in page


def test_a_focal_point_sees_its_own_state_s_only(
    client: Client, carol: Any, seconded: list[Secondment]
) -> None:
    page = _login(client, carol).get("/secondments/").content.decode()
    assert "Anna Huber2" in page
    assert "Huber1" not in page and "Huber3" not in page
    select = page.split('name="state"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([A-Z]+)"', select) == ["DE"]  # never Austria, not even as a choice
    # Another State's code is no way in: nothing is shown, the same as a State with none.
    assert "Huber1" not in client.get("/secondments/?state=AT").content.decode()


def test_filters_by_state_name_and_ending_soon(
    client: Client, alice: Any, seconded: list[Secondment]
) -> None:
    client = _login(client, alice)
    page = client.get("/secondments/?state=de").content.decode()
    assert "Huber2" in page and "Huber1" not in page
    page = client.get("/secondments/?q=huber3").content.decode()
    assert "Huber3" in page and "Huber1" not in page
    page = client.get("/secondments/?ending=60").content.decode()
    assert "Huber3" in page and "Huber1" not in page and "ending soon" in page
    assert client.get("/secondments/?ending=61").status_code == 400


def test_the_filter_labels_say_any(client: Client, alice: Any, seconded: list[Secondment]) -> None:
    page = _login(client, alice).get("/secondments/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "---------" not in page
    assert "Autriche" in page and "Allemagne" in page


@pytest.mark.parametrize("extra", [0, 3])
def test_constant_queries(  # type: ignore[no-untyped-def]
    client: Client,
    alice: Any,
    bob: Any,
    make_vacancy: Any,
    seconded: list[Secondment],
    extra: int,
    django_assert_num_queries,
) -> None:
    for n in range(extra):
        _select(make_vacancy(posts=1), alice, [(bob, "AT", 10 + n)], datetime.date(2026, 3, 1))
    client = _login(client, alice)
    # session, user, roles (policy) x2, the count, the rows with person/post/State/operation,
    # the State choices (codes seen, States, Partners), the operation choices, one count per facet
    # (status, State, field operation: issue 11 part 5)
    with django_assert_num_queries(12):
        assert client.get("/secondments/").status_code == 200
