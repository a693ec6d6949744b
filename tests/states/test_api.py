"""The organisation's API (CONTRACT.md §6): shapes, filters, refusals, constant queries."""

from __future__ import annotations

import csv
import datetime

import pytest
from rest_framework.test import APIClient

from states.models import Body, Delegation, State
from states.reference import REFERENCE_DIR
from tests.states.factories import (
    BodyFactory,
    ChairpersonshipFactory,
    DelegationFactory,
    DiplomatFactory,
    StateFactory,
)

STATE_FIELDS = {
    "url",
    "code",
    "name",
    "iso_alpha3",
    "joined",
    "joined_precision",
    "left",
    "participating",
    "successor",
    "chairpersonship_years",
}


def _reference_states() -> list[dict[str, str]]:
    with (REFERENCE_DIR / "states.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _all(api: APIClient, path: str) -> list[dict]:
    """Every result of a list, following the pages."""
    results: list[dict] = []
    url: str | None = path
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        results += response.json()["results"]
        url = response.json()["next"]
    return results


def _codes(api: APIClient, query: str = "") -> set[str]:
    return {state["code"] for state in _all(api, f"/api/v1/states/?page_size=200{query}")}


# --- Participating States ------------------------------------------------------------------------


def test_the_default_list_is_exactly_today_s_57(reference: str, api: APIClient) -> None:
    expected = {row["code"] for row in _reference_states() if not row["left"]}
    assert len(expected) == 57
    response = api.get("/api/v1/states/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 57
    assert len(body["results"]) == 50  # default page size
    assert _codes(api) == expected
    assert {state["code"] for state in _all(api, "/api/v1/states/")} == expected


@pytest.mark.parametrize(
    ("day", "count"),
    [
        ("1975-07-31", 0),
        ("1976-01-01", 35),
        ("1990-10-02", 35),
        ("1990-10-03", 34),  # the GDR's first day out
        ("2011-12-31", 56),
        ("2012-11-20", 56),
        ("2012-11-21", 57),  # Mongolia joins
        ("2026-01-01", 57),
    ],
)
def test_as_of_answers_who_participated(reference: str, api: APIClient, day: str, count: int) -> None:
    response = api.get(f"/api/v1/states/?as_of={day}&page_size=200")
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_as_of_includes_former_states(reference: str, api: APIClient) -> None:
    in_1976 = _codes(api, "&as_of=1976-01-01")
    assert {"SUHH", "DDDE", "CSHH", "YUCS"} <= in_1976
    assert "RU" not in in_1976 and "CZ" not in in_1976
    in_2005 = _codes(api, "&as_of=2005-06-01")
    assert "CSXX" in in_2005 and "RS" not in in_2005 and "ME" not in in_2005
    assert "MN" not in _codes(api, "&as_of=2011-12-31")
    assert "MN" in _codes(api, "&as_of=2012-11-21")


def test_each_day_precision_date_matches_the_reference(reference: str, api: APIClient) -> None:
    rows = _reference_states()
    for row in rows:
        state = api.get(f"/api/v1/states/{row['code']}/").json()
        assert set(state) == STATE_FIELDS
        assert state["joined_precision"] == row["joined_precision"]
        if row["joined_precision"] == "day":
            assert state["joined"] == row["joined"], row["code"]
        assert state["left"] == (row["left"] or None)
        assert state["successor"] == (row["successor"] or None)
        assert state["participating"] is (not row["left"])


def test_a_state_s_shape(reference: str, api: APIClient) -> None:
    response = api.get("/api/v1/states/CH/")
    assert response.status_code == 200
    switzerland = response.json()
    assert switzerland == {
        "url": "http://testserver/api/v1/states/CH/",
        "code": "CH",
        "name": "Switzerland",
        "iso_alpha3": "CHE",
        "joined": "1975-08-01",
        "joined_precision": "day",
        "left": None,
        "participating": True,
        "successor": None,
        "chairpersonship_years": [1996, 2014, 2026],
    }


def test_former_states_have_an_address(reference: str, api: APIClient) -> None:
    ussr = api.get("/api/v1/states/SUHH/").json()
    assert (ussr["left"], ussr["successor"], ussr["participating"]) == ("1991-12-26", "RU", False)
    czechoslovakia = api.get("/api/v1/states/CSHH/").json()
    assert czechoslovakia["chairpersonship_years"] == [1992]
    assert czechoslovakia["successor"] is None
    # The filters choose the list only: a detail ignores them.
    assert api.get("/api/v1/states/SUHH/?as_of=2020-01-01").status_code == 200


# "at" answers as "AT" (contract §5, issue 12): tests/states/test_api_codes.py.
@pytest.mark.parametrize("code", ["XX", "Sx", "SUH", "ABCDE", "A", "12", "%00"])
def test_unknown_codes_answer_404(reference: str, api: APIClient, code: str) -> None:
    response = api.get(f"/api/v1/states/{code}/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "as_of=2012-13-01",
        "as_of=yesterday",
        "as_of=2012-11-21T00:00",
        "as_of=99999-01-01",
        "as_of=%00",
        "membership=expelled",
        "search=%00",
        "search=" + "x" * 101,
    ],
)
def test_bad_filters_answer_400(reference: str, api: APIClient, query: str) -> None:
    response = api.get(f"/api/v1/states/?{query}")
    assert response.status_code == 400
    field = query.split("=")[0]
    assert field in response.json()


def test_search_by_name_or_code(reference: str, api: APIClient) -> None:
    assert _codes(api, "&search=mongol") == {"MN"}
    assert _codes(api, "&search=de") >= {"DE"}
    assert _codes(api, "&search=DEU") == {"DE"}
    assert _codes(api, "&search=yugoslavia") == set()  # today's list: the former ones are not in it
    assert _codes(api, "&search=yugoslavia&as_of=1990-01-01") == {"YUCS"}
    assert _codes(api, "&search=yugoslavia&membership=all") == {"YUCS"}


def test_membership_lists_former_or_all(reference: str, api: APIClient) -> None:
    assert _codes(api, "&membership=former") == {"SUHH", "DDDE", "CSHH", "YUCS", "CSXX"}
    assert len(_codes(api, "&membership=all")) == 62


def test_states_are_read_only(reference: str, api: APIClient, api_as, alice) -> None:  # type: ignore[no-untyped-def]
    assert api.post("/api/v1/states/", {"code": "XX"}, format="json").status_code == 401
    assert api_as(alice).post("/api/v1/states/", {"code": "XX"}, format="json").status_code == 405
    assert api_as(alice).delete("/api/v1/states/AT/").status_code == 405


def test_conditional_get(reference: str, api: APIClient) -> None:
    first = api.get("/api/v1/states/AT/")
    assert first.has_header("ETag")
    again = api.get("/api/v1/states/AT/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


# --- Partners, dimensions, bodies, chairpersonships ---------------------------------------------


def test_partners(reference: str, api: APIClient) -> None:
    partners = _all(api, "/api/v1/partners/")
    assert len(partners) == 11
    japan = api.get("/api/v1/partners/JP/").json()
    assert {key: japan[key] for key in ("url", "code", "name", "group", "since")} == {
        "url": "http://testserver/api/v1/partners/JP/",
        "code": "JP",
        "name": "Japan",
        "group": "asian",
        "since": 1992,
    }
    assert len(_all(api, "/api/v1/partners/?group=mediterranean")) == 6
    assert len(_all(api, "/api/v1/partners/?group=asian")) == 5
    assert api.get("/api/v1/partners/?group=pacific").status_code == 400
    assert api.get("/api/v1/partners/MN/").status_code == 404


def test_dimensions_with_their_topics(reference: str, api: APIClient) -> None:
    dimensions = _all(api, "/api/v1/dimensions/")
    assert [d["slug"] for d in dimensions] == ["politico-military", "economic-environmental", "human"]
    human = api.get("/api/v1/dimensions/human/").json()
    assert human["name"] == "Human dimension"
    assert human["url"] == "http://testserver/api/v1/dimensions/human/"
    assert {"slug": "elections", "name": "Elections"} in human["topics"]
    assert all(set(topic) == {"slug", "name"} for topic in human["topics"])
    assert len(human["topics"]) == 11
    assert api.get("/api/v1/dimensions/social/").status_code == 404


def test_bodies(reference: str, api: APIClient) -> None:
    assert len(_all(api, "/api/v1/bodies/")) == 17
    odihr = api.get("/api/v1/bodies/odihr/").json()
    assert (odihr["kind"], odihr["seat"], odihr["name"]) == (
        "institution",
        "Warsaw",
        "Office for Democratic Institutions and Human Rights",
    )
    institutions = {b["slug"] for b in _all(api, "/api/v1/bodies/?kind=institution")}
    assert institutions == {"odihr", "hcnm", "rfom"}
    assert api.get("/api/v1/bodies/?kind=agency").status_code == 400
    assert api.get("/api/v1/bodies/nothing/").status_code == 404


def test_chairpersonships(reference: str, api: APIClient) -> None:
    chairs = _all(api, "/api/v1/chairpersonships/")
    assert len(chairs) == 36
    assert chairs[0]["year"] == 1991 and chairs[0]["state"] == "DE"
    chair = api.get("/api/v1/chairpersonships/2026/").json()
    assert (chair["url"], chair["year"], chair["state"]) == (
        "http://testserver/api/v1/chairpersonships/2026/",
        2026,
        "CH",
    )
    assert [c["year"] for c in _all(api, "/api/v1/chairpersonships/?state=CH")] == [1996, 2014, 2026]
    assert [c["year"] for c in _all(api, "/api/v1/chairpersonships/?year_after=2025")] == [2025, 2026]
    assert api.get("/api/v1/chairpersonships/1980/").status_code == 404
    assert api.get("/api/v1/chairpersonships/99999/").status_code == 404
    assert api.get("/api/v1/chairpersonships/?year_after=soon").status_code == 400
    assert api.get("/api/v1/chairpersonships/?year_after=99999999999999999999").status_code == 200


# --- Permanent missions --------------------------------------------------------------------------


def test_delegations_are_empty_missions_until_entered(reference: str, api: APIClient) -> None:
    delegations = _all(api, "/api/v1/delegations/")
    assert len(delegations) == 57
    austria = api.get("/api/v1/delegations/AT/").json()
    assert austria == {
        "url": "http://testserver/api/v1/delegations/AT/",
        "state": "AT",
        "head": {"name": "", "title": ""},
        "address": "",
        "members": [],
    }
    assert api.get("/api/v1/delegations/SUHH/").status_code == 404
    assert api.get("/api/v1/delegations/at/").json() == austria  # codes in any case (contract §5)


def test_a_delegation_with_its_diplomats(reference: str, api: APIClient) -> None:
    delegation = Delegation.objects.get(state_id="AT")
    delegation.head_name = "A. Example"
    delegation.head_title = "Ambassador, Permanent Representative"
    delegation.address = "Example Street 1, 1010 Vienna"
    delegation.save()
    council = Body.objects.get(slug="permanent-council")
    fsc = Body.objects.get(slug="forum-for-security-co-operation")
    DiplomatFactory(delegation=delegation, name="C. Example", title="Counsellor", order=2, bodies=[council])
    DiplomatFactory(
        delegation=delegation, name="B. Example", title="Minister", order=1, bodies=[council, fsc]
    )

    austria = api.get("/api/v1/delegations/AT/").json()

    assert austria["head"] == {"name": "A. Example", "title": "Ambassador, Permanent Representative"}
    assert austria["address"] == "Example Street 1, 1010 Vienna"
    assert austria["members"] == [
        {
            "name": "B. Example",
            "title": "Minister",
            "bodies": ["forum-for-security-co-operation", "permanent-council"],
        },
        {"name": "C. Example", "title": "Counsellor", "bodies": ["permanent-council"]},
    ]


# --- Constant queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 30])
def test_lists_run_constant_queries(db: None, api: APIClient, django_assert_num_queries, rows: int) -> None:  # type: ignore[no-untyped-def]
    bodies = [BodyFactory() for _ in range(3)]
    for _ in range(rows):
        state = StateFactory()
        ChairpersonshipFactory(state=state)
        ChairpersonshipFactory(state=state)
        delegation = DelegationFactory(state=state)
        DiplomatFactory(delegation=delegation, bodies=bodies[:2])
        DiplomatFactory(delegation=delegation, bodies=bodies)

    # count, the page of States, their chairpersonships
    with django_assert_num_queries(3):
        assert api.get("/api/v1/states/?page_size=200").json()["count"] == rows
    with django_assert_num_queries(3):
        api.get("/api/v1/states/?as_of=2000-01-01&search=state&page_size=200")
    # the State, its chairpersonships
    with django_assert_num_queries(2):
        api.get(f"/api/v1/states/{state.code}/")
    # count, the missions, their members, the members' bodies
    with django_assert_num_queries(4):
        assert api.get("/api/v1/delegations/?page_size=200").json()["count"] == rows
    # the mission, its members, their bodies
    with django_assert_num_queries(3):
        api.get(f"/api/v1/delegations/{state.code}/")
    # count, the page
    with django_assert_num_queries(2):
        api.get("/api/v1/chairpersonships/?page_size=200")
    with django_assert_num_queries(2):
        api.get("/api/v1/bodies/?page_size=200")


def test_reference_lists_run_constant_queries(
    reference: str, api: APIClient, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    # count, dimensions, their topics
    with django_assert_num_queries(3):
        api.get("/api/v1/dimensions/")
    # count, the page
    with django_assert_num_queries(2):
        api.get("/api/v1/partners/")
    with django_assert_num_queries(3):
        api.get("/api/v1/states/?membership=all&page_size=200")


def test_participating_is_today_s(db: None, api: APIClient) -> None:
    StateFactory(code="QQQQ", joined=datetime.date(1992, 1, 1), left=datetime.date(2000, 1, 1))
    assert api.get("/api/v1/states/QQQQ/").json()["participating"] is False
    assert State.objects.get(code="QQQQ").participating is False


def test_the_api_root_links_every_resource(db: None, api: APIClient) -> None:
    root = api.get("/api/v1/").json()
    for name in ("states", "partners", "dimensions", "bodies", "chairpersonships", "delegations"):
        assert root[name] == f"http://testserver/api/v1/{name}/"
