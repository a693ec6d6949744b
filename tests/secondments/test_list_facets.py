"""/nominations/ and /secondments/ like the other lists (issue 11 part 5): counts beside the filter
choices, counted over what the reader may see (a focal point's never include another State's), and
a sort order, followed by the CSV and the API."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from secondments import services
from secondments.models import Nomination, Secondment
from states.models import State
from tests.secondments.conftest import candidate
from tests.secondments.test_secondment_list import seconded  # noqa: F401  (a fixture)


def _options(page: str, name: str) -> dict[str, str]:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def _page(client: Client, user: Any, query: str = "", path: str = "/nominations/") -> str:
    client.force_login(user)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    return response.content.decode()


def _csv_ids(client: Client, path: str) -> list[int]:
    body = b"".join(client.get(path).streaming_content).decode("utf-8-sig")
    return [int(row["id"]) for row in csv.DictReader(io.StringIO(body))]


# --- /nominations/ -------------------------------------------------------------------------------


def _nominate(user: Any, code: str, n: int, vacancy: Any) -> Nomination:
    """``user`` nominates Anna Huber<n>, a national of ``code``, to ``vacancy``."""
    person = {**candidate(code, n), "nationality": State.objects.get(code=code)}
    return services.nomination_submit(actor=user, vacancy=vacancy, **person)


@pytest.fixture
def nominated(bob: Any, carol: Any, make_vacancy: Any) -> list[Nomination]:
    """Huber1 (AT) to a first vacancy; Huber2 (DE) and Huber3 (AT, withdrawn) to a second."""
    first, second = make_vacancy(), make_vacancy()
    made = [
        _nominate(bob, "AT", 1, first),
        _nominate(carol, "DE", 2, second),
        _nominate(bob, "AT", 3, second),
    ]
    services.nomination_withdraw(actor=bob, nomination=made[2])
    return made


def _nomination_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<td><a href="/nominations/(\d+)/">', page)]


def test_nomination_counts_follow_the_other_filters(
    client: Client, alice: Any, nominated: list[Nomination]
) -> None:
    page = _page(client, alice)
    assert "---------" not in page  # every empty choice says "any"
    states = _options(page, "state")
    assert states[""] == "any"
    assert states["AT"] == "Austria (2)" and states["DE"] == "Germany (1)"
    statuses = _options(page, "status")
    assert statuses["submitted"] == "submitted (2)" and statuses["withdrawn"] == "withdrawn (1)"
    # under a State, the status counts are that State's; the State counts keep the others
    page = _page(client, alice, "state=AT")
    statuses = _options(page, "status")
    assert statuses["submitted"].endswith("(1)") and statuses["withdrawn"].endswith("(1)")
    assert _options(page, "state")["DE"].endswith("(1)")
    states = _options(_page(client, alice, "status=withdrawn"), "state")
    assert states["AT"].endswith("(1)") and states["DE"].endswith("(0)")


def test_a_focal_point_s_counts_are_its_own_state_s(
    client: Client, carol: Any, nominated: list[Nomination]
) -> None:
    for query in ("", "status=submitted", "state=AT"):
        page = _page(client, carol, query)
        assert list(_options(page, "state")) == ["", "DE"], query  # never Austria, not even as a choice
        statuses = _options(page, "status")
        expected = "0" if query == "state=AT" else "1"  # another State's code shows nothing
        assert statuses["submitted"].endswith(f"({expected})"), query
        assert statuses["withdrawn"].endswith("(0)"), query
    assert "Austria" not in _page(client, carol)


def test_nomination_sort_orders(client: Client, alice: Any, nominated: list[Nomination]) -> None:
    one, two, three = (nomination.pk for nomination in nominated)
    assert _nomination_ids(_page(client, alice)) == [three, two, one]  # the default: newest first
    assert _nomination_ids(_page(client, alice, "sort=-submitted")) == [three, two, one]
    assert _nomination_ids(_page(client, alice, "sort=submitted")) == [one, two, three]
    assert _nomination_ids(_page(client, alice, "sort=candidate")) == [one, two, three]
    assert _nomination_ids(_page(client, alice, "sort=vacancy")) == [one, three, two]
    assert _csv_ids(client, "/nominations/?sort=vacancy&format=csv") == [one, three, two]
    response = client.get("/nominations/?sort=salary")
    assert response.status_code == 400
    assert "salary is not one of the available choices" in response.content.decode()


def test_the_api_sorts_nominations_too(alice: Any, nominated: list[Nomination]) -> None:
    api = APIClient()
    api.force_authenticate(alice)
    rows = api.get("/api/v1/nominations/", {"sort": "candidate"}).json()["results"]
    assert [row["id"] for row in rows] == [nomination.pk for nomination in nominated]
    assert api.get("/api/v1/nominations/", {"sort": "salary"}).status_code == 400


# --- /secondments/ -------------------------------------------------------------------------------


def test_secondment_counts_follow_the_other_filters(
    client: Client,
    alice: Any,
    seconded: list[Secondment],  # noqa: F811
) -> None:
    page = _page(client, alice, path="/secondments/")
    states = _options(page, "state")
    assert states["AT"] == "Austria (2)" and states["DE"] == "Germany (1)"
    assert _options(page, "status")["active"] == "active (3)"
    slug = seconded[0].field_operation.slug
    assert _options(page, "field_operation")[slug].endswith("(3)")
    page = _page(client, alice, "state=DE", path="/secondments/")
    assert _options(page, "status")["active"].endswith("(1)")
    assert _options(page, "field_operation")[slug].endswith("(1)")
    assert _options(page, "state")["AT"].endswith("(2)")  # its own filter left out
    page = _page(client, alice, "status=ended", path="/secondments/")
    assert _options(page, "state")["AT"].endswith("(0)")


def test_a_focal_point_s_secondment_counts_are_its_own(
    client: Client,
    carol: Any,
    seconded: list[Secondment],  # noqa: F811
) -> None:
    for query in ("", "status=active", "field_operation=" + seconded[0].field_operation.slug):
        page = _page(client, carol, query, path="/secondments/")
        assert list(_options(page, "state")) == ["", "DE"], query
        assert _options(page, "state")["DE"].endswith("(1)"), query
        assert _options(page, "status")["active"].endswith("(1)"), query
        assert _options(page, "field_operation")[seconded[0].field_operation.slug].endswith("(1)"), query


def _secondment_ids(page: str, rows: list[Secondment]) -> list[int]:
    names = {f"Anna Huber{n}": secondment.pk for n, secondment in enumerate(rows, start=1)}
    found = re.findall(r"Anna Huber\d", page.split("<tbody>", 1)[1])
    return [names[name] for name in found]


def test_secondment_sort_orders(
    client: Client,
    alice: Any,
    seconded: list[Secondment],  # noqa: F811
) -> None:
    one, two, three = (secondment.pk for secondment in seconded)  # three ends (and started) first

    def ids(query: str) -> list[int]:
        return _secondment_ids(_page(client, alice, query, path="/secondments/"), seconded)

    assert ids("") == [three, one, two]  # the default: ending soonest first
    assert ids("sort=end") == [three, one, two]
    assert ids("sort=-end") == [one, two, three]
    assert ids("sort=start") == [three, one, two]
    assert ids("sort=-start") == [one, two, three]
    assert ids("sort=name") == [one, two, three]
    assert _csv_ids(client, "/secondments/?sort=-end&format=csv") == [one, two, three]
    assert client.get("/secondments/?sort=salary").status_code == 400
    api = APIClient()
    api.force_authenticate(alice)
    rows = api.get("/api/v1/secondments/", {"sort": "-end"}).json()["results"]
    assert [row["id"] for row in rows] == [one, two, three]
    assert api.get("/api/v1/secondments/", {"sort": "salary"}).status_code == 400


@pytest.mark.parametrize("extra", [0, 5])
def test_nomination_list_constant_queries(
    client: Client,
    alice: Any,
    bob: Any,
    make_vacancy: Any,
    nominated: list[Nomination],
    extra: int,
    django_assert_num_queries: Any,
) -> None:
    vacancy = make_vacancy()
    for n in range(extra):
        _nominate(bob, "AT", 10 + n, vacancy)
    client.force_login(alice)
    # session, user, roles (policy), the count, the page of nominations, their histories, the
    # State choices (codes seen, States, Partners), and one count per facet (status, State: issue
    # 11 part 5); no vacancy is read for the vacancy filter (a reference box)
    with django_assert_num_queries(11):
        assert client.get("/nominations/?sort=vacancy").status_code == 200


def test_the_vacancy_filter_is_a_reference_box_not_every_vacancy(
    client: Client, alice: Any, nominated: list[Nomination], make_vacancy: Any
) -> None:
    """HR sees every vacancy: a list of them all would grow with the years (100,000 options at the
    benchmark's scale 100). The page asks for a reference, in any case."""
    unrelated = make_vacancy()
    page = _page(client, alice)
    box = re.search(r'<input[^>]*name="vacancy"[^>]*>', page)
    assert box is not None and 'type="text"' in box.group()
    assert unrelated.reference not in page
    first = nominated[0].vacancy.reference
    page = _page(client, alice, f"vacancy={first.lower()}")
    assert _nomination_ids(page) == [nominated[0].pk]
    assert f'value="{first.lower()}"' in page  # what was typed stays in the box
    response = client.get("/nominations/?vacancy=vnnope0000")
    assert response.status_code == 400  # a filter's error, on the page
    page = response.content.decode()
    assert "No vacancy has the reference VNNOPE0000." in page
    assert _nomination_ids(page) == []
