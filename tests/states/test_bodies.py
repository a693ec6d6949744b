"""/bodies/ and /bodies/<slug>/ (CONTRACT §4): what each body does, its seat, its sources, the chairs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from states.models import Body, Chairpersonship, Delegation, State
from tests.states.factories import BodyFactory, DiplomatFactory, StateFactory


def test_the_list_groups_the_bodies_by_kind_with_their_seats(reference: str, client: Client) -> None:
    page = client.get("/bodies/").content.decode()
    assert "<h1>Bodies and institutions</h1>" in page
    assert 'href="/bodies/permanent-council/"' in page and "Vienna" in page
    assert "Decision-making body" in page
    assert page.count("<tr>") > Body.objects.count()  # every body and the chairpersonships


def test_the_list_shows_the_chairpersonships(reference: str, client: Client) -> None:
    chair = Chairpersonship.objects.select_related("state").order_by("-year").first()
    assert chair is not None
    page = client.get("/bodies/").content.decode()
    assert f'href="/states/{chair.state_id}/"' in page and str(chair.year) in page


def test_the_list_filters_by_kind(reference: str, client: Client) -> None:
    page = client.get("/bodies/?kind=institution").content.decode()
    assert "/bodies/permanent-council/" not in page
    assert "/bodies/odihr/" in page
    assert client.get("/bodies/?kind=agency").status_code == 400


def test_a_body_s_page_says_what_it_does_and_cites_its_sources(reference: str, client: Client) -> None:
    page = client.get("/bodies/permanent-council/").content.decode()
    assert "Vienna" in page and "meets weekly" in page
    assert 'id="source-S62"' in page and 'href="https://oestrig.um.dk/en/osce/structure"' in page
    assert "S62;S64" not in page  # never the raw keys


def test_a_decision_making_body_shows_this_year_s_chair(reference: str, client: Client) -> None:
    year = timezone.localdate().year
    state = State.objects.get(code="CH")
    Chairpersonship.objects.update_or_create(year=year, defaults={"state": state})
    page = client.get("/bodies/ministerial-council/").content.decode()
    assert "Chaired this year by" in page and 'href="/states/CH/"' in page
    assert "Chaired this year by" not in client.get("/bodies/odihr/").content.decode()


def test_in_french_the_english_reference_text_is_marked(reference: str, client: Client) -> None:
    page = client.get("/bodies/permanent-council/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<h1><span lang="en">Permanent Council</span></h1>' in page


def test_an_unknown_body_is_404(reference: str, client: Client) -> None:
    assert client.get("/bodies/no-such-body/").status_code == 404


@pytest.mark.parametrize("rows", [1, 12])
def test_the_pages_run_constant_queries(
    db: None, client: Client, django_assert_num_queries, rows: int
) -> None:  # type: ignore[no-untyped-def]
    body = BodyFactory(slug="permanent-council", kind=Body.Kind.DECISION_MAKING)
    for number in range(rows):
        state = StateFactory(code=f"Q{chr(65 + number)}")  # codes QA, QB, ...: not in the reference
        delegation = Delegation.objects.create(state=state)
        DiplomatFactory(delegation=delegation).bodies.add(body)
        BodyFactory()
    # the bodies; the chairpersonships with their States
    with django_assert_num_queries(2):
        assert client.get("/bodies/").status_code == 200
    # the body; its diplomats with their missions and States; this year's and next year's chairs
    with django_assert_num_queries(3):
        page = client.get("/bodies/permanent-council/").content.decode()
    assert page.count('href="/states/Q') == rows


def test_the_state_page_cites_its_sources(reference: str, client: Client) -> None:
    page = client.get("/states/AT/").content.decode()
    assert 'id="source-S01"' in page and 'href="https://webintra.cvce.eu/' in page
