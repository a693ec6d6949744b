"""Pages of the organisation: /states/, /states/<code>/, /dimensions/ (CONTRACT.md §4)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from missions.models import FieldOperation
from states.models import Body, Delegation, Dimension, Topic
from tests.states.factories import (
    BodyFactory,
    ChairpersonshipFactory,
    DelegationFactory,
    DimensionFactory,
    DiplomatFactory,
    StateFactory,
    TopicFactory,
)


def _operation(slug: str, host: str | None = None, **extra: object) -> FieldOperation:
    # The reference (states, then missions) may have loaded this operation already.
    operation, _ = FieldOperation.objects.update_or_create(
        slug=slug,
        defaults={
            "name": extra.pop("name", slug.replace("-", " ").title()),
            "kind": FieldOperation.Kind.MISSION,
            "region": FieldOperation.Region.SOUTH_EASTERN_EUROPE,
            "host_state_id": host,
            "established": extra.pop("established", datetime.date(1999, 1, 1)),
            **extra,
        },
    )
    return operation


# --- /states/ ------------------------------------------------------------------------------------


def test_the_list_shows_today_s_participants_and_the_count(reference: str, client: Client) -> None:
    response = client.get("/states/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "57 participating States today." in page
    assert len(response.context["states"]) == 57
    assert 'href="/states/MN/"' in page
    assert 'href="/states/SUHH/"' not in page
    assert "<caption" in page and 'scope="col"' in page
    assert page.count("<h1>") == 1
    assert "Japan" in page  # the Partners for Co-operation


@pytest.mark.parametrize(
    ("query", "count", "text"),
    [
        ("as_of=1976-01-01", 35, "35 States participated on 1976-01-01."),
        ("as_of=2011-12-31", 56, "56 States participated on 2011-12-31."),
        ("as_of=2012-11-21", 57, "57 States participated on 2012-11-21."),
        ("membership=former", 5, "5 former participating States."),
        ("membership=all", 62, "62 States have ever participated."),
        ("search=mongolia", 1, "1 participating State today."),
        ("search=yugoslavia&as_of=1980-01-01", 1, "1 State participated on 1980-01-01."),
    ],
)
def test_the_list_filters(reference: str, client: Client, query: str, count: int, text: str) -> None:
    response = client.get(f"/states/?{query}")
    assert response.status_code == 200
    assert len(response.context["states"]) == count
    assert text in response.content.decode()


def test_former_states_on_a_past_date_link_to_their_pages(reference: str, client: Client) -> None:
    page = client.get("/states/?as_of=1980-01-01").content.decode()
    assert 'href="/states/SUHH/"' in page
    assert "Union of Soviet Socialist Republics" in page


@pytest.mark.parametrize("query", ["as_of=2012-13-01", "as_of=tomorrow", "membership=expelled"])
def test_a_bad_filter_is_shown_and_answers_400(reference: str, client: Client, query: str) -> None:
    response = client.get(f"/states/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the following:" in page
    assert list(response.context["states"]) == []


def test_the_form_is_labelled(reference: str, client: Client) -> None:
    page = client.get("/states/").content.decode()
    for name in ("search", "as_of", "membership"):
        assert f'for="id_{name}"' in page
        assert f'id="id_{name}"' in page
    assert 'type="date"' in page


# --- /states/<code>/ -----------------------------------------------------------------------------


def test_a_state_page(reference: str, client: Client) -> None:
    response = client.get("/states/CH/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Switzerland</h1>" in page
    assert "1975-08-01" in page
    assert "1996, 2014, 2026" in page
    assert "Permanent Mission in Vienna" in page
    assert "Its diplomats have not been entered yet." in page


def test_a_former_state_s_page(reference: str, client: Client) -> None:
    page = client.get("/states/SUHH/").content.decode()
    assert "1991-12-26" in page
    assert 'href="/states/RU/"' in page
    assert "No permanent mission is recorded." in page
    russia = client.get("/states/RU/").content.decode()
    assert 'href="/states/SUHH/"' in russia  # continues the USSR


def test_the_state_page_shows_its_mission_and_field_operations(reference: str, client: Client) -> None:
    delegation = Delegation.objects.get(state_id="BA")
    delegation.head_name = "A. Example"
    delegation.head_title = "Ambassador"
    delegation.save()
    DiplomatFactory(
        delegation=delegation, name="B. Example", bodies=[Body.objects.get(slug="permanent-council")]
    )
    _operation("mission-to-bosnia-and-herzegovina", "BA", name="Mission to Bosnia and Herzegovina")

    page = client.get("/states/BA/").content.decode()

    assert "A. Example, Ambassador" in page
    assert "B. Example" in page and "Permanent Council" in page
    assert 'href="/missions/mission-to-bosnia-and-herzegovina/"' in page


def test_codes_are_upper_case(reference: str, client: Client) -> None:
    response = client.get("/states/ch/")
    assert response.status_code == 302
    assert response["Location"] == "/states/CH/"


@pytest.mark.parametrize(
    "path", ["/states/XX/", "/states/xx/", "/states/ABC/", "/states/12/", "/states/%00/"]
)
def test_unknown_codes_answer_404(reference: str, client: Client, path: str) -> None:
    response = client.get(path, follow=True)
    assert response.status_code == 404


# --- /dimensions/ --------------------------------------------------------------------------------


def test_the_dimensions_page(reference: str, client: Client) -> None:
    # The reference's field operations carry dimensions of their own: count from none.
    FieldOperation.dimensions.through.objects.all().delete()
    FieldOperation.topics.through.objects.all().delete()
    operation = _operation("presence-in-albania", "AL", name="Presence in Albania")
    operation.dimensions.set(Dimension.objects.filter(slug__in=["human", "politico-military"]))
    operation.topics.set(Topic.objects.filter(slug__in=["elections", "policing"]))

    response = client.get("/dimensions/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Human dimension" in page and "Elections" in page and "Policing" in page
    assert "1 field operation works in this dimension." in page
    assert "0 field operations work in this dimension." in page
    assert 'href="/missions/presence-in-albania/"' in page
    dimensions = {d.slug: d for d in response.context["dimensions"]}
    assert dimensions["human"].field_operation_count == 1
    assert dimensions["economic-environmental"].field_operation_count == 0
    topics = {t.slug: t.field_operation_count for t in dimensions["human"].topics.all()}
    assert topics["elections"] == 1 and topics["democratization"] == 0


# --- Constant queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 25])
def test_pages_run_constant_queries(db: None, client: Client, django_assert_num_queries, rows: int) -> None:  # type: ignore[no-untyped-def]
    bodies = [BodyFactory() for _ in range(2)]
    dimensions = [DimensionFactory() for _ in range(3)]
    host = StateFactory()
    for _ in range(rows):
        state = StateFactory()
        ChairpersonshipFactory(state=host)
        DiplomatFactory(delegation=DelegationFactory(state=host), bodies=bodies)
        operation = _operation(f"operation-{state.code.lower()}", host.code)
        operation.dimensions.set(dimensions)
        operation.topics.set([TopicFactory(dimension=dimensions[0])])

    # the States, the Partners, one count per facet (membership, decade joined: issue 11 part 5)
    with django_assert_num_queries(4):
        assert client.get("/states/").status_code == 200
    # with a date the membership choice changes nothing: no count for it
    with django_assert_num_queries(3):
        assert client.get("/states/?as_of=2000-01-01&search=state").status_code == 200
    # an order by name in the page's language reads the names once more
    with django_assert_num_queries(5):
        assert client.get("/states/?sort=-name").status_code == 200
    # the State with its successor and mission; its predecessors, chairpersonships, the mission's
    # members, their bodies, the field operations it hosts (6); the elections panel: the State's
    # elections, its open recommendations (2; their rating history is a third query only when
    # there are recommendations, which this test has none of); the secondment panel: the
    # nomination counts, the secondments serving today (2)
    with django_assert_num_queries(10):
        assert client.get(f"/states/{host.code}/").status_code == 200
    # the dimensions with their counts, their topics with theirs, the field operations tagged
    with django_assert_num_queries(3):
        assert client.get("/dimensions/").status_code == 200


def test_the_pages_work_in_every_official_language(reference: str, client: Client) -> None:
    for language in ("en", "fr", "de", "it", "ru", "es"):
        for path in ("/states/", "/states/AT/", "/dimensions/"):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (language, path)


def test_the_search_is_escaped(reference: str, client: Client) -> None:
    page = client.get("/states/?search=%3Cscript%3Ealert(1)%3C/script%3E").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_the_home_page_counts_today_s_participants(reference: str, client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'href="/states/"' in page
    assert ">57<" in page
