"""/states/ like the other lists (issue 11 part 5): counts beside the filter choices, a sort order
followed by the CSV and the API."""

from __future__ import annotations

import csv
import datetime
import io
import re

from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from states.models import State
from states.names import sorted_by_name
from tests.states.factories import BodyFactory


def _options(page: str, name: str) -> dict[str, str]:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def _codes(page: str) -> list[str]:
    return re.findall(r"<td><code>([A-Z]{2,4})</code></td>", page)


def _joined_in(decade: int) -> dict[str, int]:
    today = timezone.localdate()
    joiners = State.objects.filter(
        joined__gte=datetime.date(decade, 1, 1), joined__lt=datetime.date(decade + 10, 1, 1)
    )
    return {"current": joiners.participating(today).count(), "former": joiners.former(today).count()}


def test_membership_and_decade_counts(reference: str, client: Client) -> None:
    today = timezone.localdate()
    page = client.get("/states/").content.decode()
    membership = _options(page, "membership")
    assert membership["current"] == "Participating today (57)"
    assert membership["former"] == f"Former participating States ({State.objects.former(today).count()})"
    assert membership["all"] == f"Every State that ever participated ({State.objects.count()})"
    # today's participants by decade joined
    joined = _options(page, "joined")
    assert joined[""] == "any"
    assert joined["1990"] == f"1990–1999 ({_joined_in(1990)['current']})"
    assert joined["1970"].endswith(f"({_joined_in(1970)['current']})")


def test_counts_follow_the_other_filters_not_their_own(reference: str, client: Client) -> None:
    noughties = _joined_in(2000)
    assert noughties["former"] > 0  # Serbia and Montenegro (2000-2006)
    page = client.get("/states/?joined=2000").content.decode()
    membership = _options(page, "membership")
    assert membership["current"].endswith(f"({noughties['current']})")
    assert membership["former"].endswith(f"({noughties['former']})")
    assert membership["all"].endswith(f"({noughties['current'] + noughties['former']})")
    # the decade counts, among the former States
    joined = _options(client.get("/states/?membership=former&joined=2000").content.decode(), "joined")
    assert joined["2000"].endswith(f"({noughties['former']})")
    assert joined["1970"].endswith(f"({_joined_in(1970)['former']})")


def test_a_date_decides_so_membership_has_no_counts(reference: str, client: Client) -> None:
    page = client.get("/states/?as_of=1976-01-01").content.decode()
    assert _options(page, "membership")["current"] == "Participating today"
    assert _options(page, "joined")["1970"] == "1970–1979 (35)"


def test_the_decade_filter(reference: str, client: Client) -> None:
    response = client.get("/states/?joined=2010")
    assert [state.code for state in response.context["states"]] == ["MN"]
    assert client.get("/states/?joined=1975").status_code == 400


def test_sort_orders(reference: str, client: Client) -> None:
    today = timezone.localdate()
    current = list(State.objects.participating(today))
    by_name = [state.code for state in sorted_by_name(current, "fr")]
    default = _codes(client.get("/states/", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert default == by_name  # the default: by the name in the page's language
    assert _codes(client.get("/states/?sort=name", HTTP_ACCEPT_LANGUAGE="fr").content.decode()) == by_name
    backwards = _codes(client.get("/states/?sort=-name", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert backwards == by_name[::-1]
    assert _codes(client.get("/states/?sort=code").content.decode()) == sorted(by_name)
    english = [state.code for state in sorted_by_name(current, "en")]
    rank = {code: i for i, code in enumerate(english)}
    joined = {state.code: state.joined for state in current}
    earliest = _codes(client.get("/states/?sort=joined").content.decode())
    assert earliest == sorted(english, key=lambda code: (joined[code], rank[code]))
    latest = _codes(client.get("/states/?sort=-joined").content.decode())
    assert latest == sorted(english, key=lambda code: (-joined[code].toordinal(), rank[code]))
    assert latest[0] == "MN"


def test_a_bad_sort_is_a_form_error(reference: str, client: Client) -> None:
    response = client.get("/states/?sort=population")
    assert response.status_code == 400
    assert "population is not one of the available choices" in response.content.decode()
    assert APIClient().get("/api/v1/states/", {"sort": "population"}).status_code == 400


def test_the_csv_and_the_api_follow_the_sort(reference: str, client: Client) -> None:
    def csv_codes(query: str) -> list[str]:
        body = b"".join(client.get(f"/states/?{query}format=csv").streaming_content).decode("utf-8-sig")
        return [row["code"] for row in csv.DictReader(io.StringIO(body))]

    page_default = _codes(client.get("/states/").content.decode())
    assert csv_codes("") == page_default
    latest = _codes(client.get("/states/?sort=-joined").content.decode())
    assert csv_codes("sort=-joined&") == latest
    api = APIClient().get("/api/v1/states/", {"sort": "-joined", "page_size": 100}).json()
    assert [row["code"] for row in api["results"]] == latest


def test_bodies_sort_within_each_kind(client: Client, db: None) -> None:
    old = BodyFactory(name="Zeta Committee", established=1975)
    new = BodyFactory(name="Alpha Committee", established=2001)
    unknown = BodyFactory(name="Mu Committee", established=None)

    def slugs(query: str) -> list[str]:
        page = client.get(f"/bodies/?{query}").content.decode()
        return re.findall(r'<a href="/bodies/([a-z0-9-]+)/">', page)

    assert slugs("") == [new.slug, unknown.slug, old.slug]  # by name
    assert slugs("sort=established") == [old.slug, new.slug, unknown.slug]  # no year: last
    assert slugs("sort=-established") == [new.slug, old.slug, unknown.slug]
    assert client.get("/bodies/?sort=seat").status_code == 400
    api = APIClient().get("/api/v1/bodies/", {"sort": "-established"}).json()
    assert [row["slug"] for row in api["results"]] == [new.slug, old.slug, unknown.slug]
