"""The missions pages' cached fragments (``/missions/`` and ``/missions/<slug>/``).

Each fragment is keyed by the versions of every table it shows, the language, the reader's roles,
the query string and the date: a write to any of them, through a service, a factory or a bulk
update, shows on the very next request; a hit reads no row; what differs per user (HR's form
with its CSRF token) is never cached.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from accounts.services import role_grant
from missions import services
from missions.models import FieldOperation, MandateEvent, Project
from missions.sections import register_section, unregister_section
from secondments.models import Vacancy
from states.models import Dimension, Partner, State, Topic
from tests.elections.factories import ElectionFactory
from tests.missions.factories import (
    FieldOperationFactory,
    FiguresFactory,
    HeadFactory,
    MandateEventFactory,
    PledgeFactory,
    ProjectFactory,
    StateFactory,
)
from tests.secondments.factories import VacancyFactory


@pytest.fixture(autouse=True)
def _empty_fragments() -> Iterator[None]:
    caches["fragments"].clear()
    caches["pages"].clear()
    yield
    caches["fragments"].clear()
    caches["pages"].clear()


def main(response: Any) -> str:
    """The page's ``<main>``: what the fragments make (the header holds a per-request CSRF token)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


# --- /missions/ ---------------------------------------------------------------------------------


def test_list_miss_then_hit(client: Client, reference_loaded: Any, django_assert_num_queries: Any) -> None:
    # A miss: the tables' versions (the fragments' key), the operations with host State and
    # predecessor joined, the filter form's choices (host States, dimensions), one count per facet
    # (region, host State, dimension).
    with django_assert_num_queries(7):
        first = client.get("/missions/")
    # A hit: the versions only.
    with django_assert_num_queries(1):
        second = client.get("/missions/")
    assert first.status_code == second.status_code == 200
    assert main(first) == main(second)
    assert "Mission to Latvia" in main(second) and "(" in main(second)  # rows and facet counts


def test_list_results_for_a_script_share_the_cache(
    client: Client, reference_loaded: Any, django_assert_num_queries: Any
) -> None:
    page = client.get("/missions/?region=south-eastern-europe")
    with django_assert_num_queries(1):
        partial = client.get("/missions/?region=south-eastern-europe", headers={"X-Requested-With": "fetch"})
    assert partial.content.decode().strip() in page.content.decode()
    FieldOperationFactory(name="Mission to Nowhere", region=FieldOperation.Region.SOUTH_EASTERN_EUROPE)
    partial = client.get("/missions/?region=south-eastern-europe", headers={"X-Requested-With": "fetch"})
    assert "Mission to Nowhere" in partial.content.decode()


def test_an_invalid_filter_stays_400_on_a_hit(client: Client, reference_loaded: Any) -> None:
    first = client.get("/missions/?host_state=XX")
    second = client.get("/missions/?host_state=XX")
    assert first.status_code == second.status_code == 400
    assert main(first) == main(second)


def _rename(slug: str, name: str) -> None:
    FieldOperation.objects.filter(slug=slug).update(name=name)  # a bulk update: no signal, no save()


LIST_CHANGES: list[tuple[str, Callable[[], None], str, str]] = [
    (
        "an operation renamed",
        lambda: _rename("mission-to-latvia", "Renamed Mission"),
        "/missions/",
        "Renamed Mission",
    ),
    (
        "an operation added (row, count and facet)",
        lambda: FieldOperationFactory(name="Mission to Nowhere", region=FieldOperation.Region.EASTERN_EUROPE),
        "/missions/",
        "Mission to Nowhere",
    ),
    (
        "an operation closed",
        lambda: FieldOperation.objects.filter(slug="mission-to-moldova").update(
            closed=timezone.localdate() - datetime.timedelta(days=1)
        ),
        "/missions/?status=closed",
        "Mission to Moldova",
    ),
    (
        "a host State renamed",
        lambda: State.objects.filter(code="LV").update(name="Latvija"),
        "/missions/",
        "Latvija",
    ),
    (
        "a dimension given to an operation",
        lambda: FieldOperation.objects.get(slug="mission-to-latvia").dimensions.add(
            Dimension.objects.get(slug="politico-military")
        ),
        "/missions/?dimension=politico-military",
        "Mission to Latvia",
    ),
    (
        "a dimension renamed (the filter's choices)",
        lambda: Dimension.objects.filter(slug="human").update(name="Human dimension, renamed"),
        "/missions/",
        "Human dimension, renamed",
    ),
]


@pytest.mark.parametrize(
    ("change", "path", "shown"), [row[1:] for row in LIST_CHANGES], ids=[row[0] for row in LIST_CHANGES]
)
def test_the_list_shows_a_change_at_once(
    client: Client, reference_loaded: Any, change: Callable[[], None], path: str, shown: str
) -> None:
    client.get(path)
    assert shown not in main(client.get(path))  # cached without it
    change()
    assert shown in main(client.get(path))


def test_the_facet_counts_follow_the_rows(client: Client, reference_loaded: Any) -> None:
    def eastern_europe_count() -> int:
        html = main(client.get("/missions/"))
        return int(re.search(r'<option value="eastern-europe"[^>]*>[^<(]*\((\d+)\)', html)[1])  # type: ignore[index]

    before = eastern_europe_count()
    FieldOperationFactory(region=FieldOperation.Region.EASTERN_EUROPE)
    assert eastern_europe_count() == before + 1


def test_the_list_in_each_language(client: Client, reference_loaded: Any) -> None:
    english = main(client.get("/missions/"))
    french = main(client.get("/missions/", headers={"Accept-Language": "fr"}))
    assert "field operations</p>" in english and "opérations de terrain</p>" in french
    assert "opérations de terrain</p>" not in main(client.get("/missions/"))
    assert "Filtrer" in main(client.get("/missions/", headers={"Accept-Language": "fr"}))


# --- /missions/<slug>/ --------------------------------------------------------------------------


@pytest.fixture
def operation(db: None) -> FieldOperation:
    """An operation with a host State, a predecessor, a head, figures, a renewal, a project with a
    pledge, an open vacancy and an election in its host State: every part of the page."""
    host = StateFactory(code="QG", name="Georgiana")
    predecessor = FieldOperationFactory(name="Old Mission", host_state=host)
    operation = FieldOperationFactory(name="New Mission", host_state=host, predecessor=predecessor)
    operation.dimensions.add(Dimension.objects.create(slug="human", name="Human", order=3))
    HeadFactory(operation=operation, name="Jane Doe")
    FiguresFactory(operation=operation, as_of=datetime.date(2024, 1, 1))
    MandateEventFactory(operation=operation, decision="PC.DEC/1500")
    PledgeFactory(project=ProjectFactory(field_operation=operation, title="Water for all"))
    VacancyFactory(field_operation=operation, reference="VNNEWS90001", title="Rule of Law Officer")
    ElectionFactory(state=host, date=datetime.date(2025, 10, 5))
    return operation


def test_detail_miss_then_hit(
    client: Client, operation: FieldOperation, django_assert_num_queries: Any
) -> None:
    url = operation.get_absolute_url()
    # A miss: the versions, the operation (host State, predecessor, successor joined); the overview's
    # heads, dimensions, topics, figures; the history's mandate events, projects, their pledges;
    # the sections' open vacancies and host State's elections.
    with django_assert_num_queries(11):
        first = client.get(url)
    # The fragments' hit (a signed-in reader's, or an anonymous one's whose whole page was
    # evicted): the versions and the operation's row (the title, a 404 when it is gone).
    caches["pages"].clear()
    with django_assert_num_queries(2):
        second = client.get(url)
    # The whole page's hit (a reader without a session, core.pages.AnonymousPageCacheMixin).
    with django_assert_num_queries(1):
        third = client.get(url)
    assert first.status_code == second.status_code == third.status_code == 200
    assert main(first) == main(second) == main(third)
    for shown in ("Old Mission", "Jane Doe", "PC.DEC/1500", "Water for all", "VNNEWS90001", "2025-10-05"):
        assert shown in main(second)


def test_a_deleted_operation_is_404_at_once(client: Client, db: None) -> None:
    operation = FieldOperationFactory()
    url = operation.get_absolute_url()
    client.get(url)
    operation.delete()
    assert client.get(url).status_code == 404


def _record_figures(operation: FieldOperation) -> None:
    hr, _ = role_grant(username="hr-figures", role="hr")
    services.figures_record(
        actor=hr,
        operation=operation,
        as_of=datetime.date(2025, 6, 30),
        offices=4,
        international_seconded=31,
        international_contracted=12,
        local_staff=777,
        unified_budget_eur=Decimal("12345678.00"),
        extra_budgetary_eur=None,
    )


def _pledge(operation: FieldOperation) -> None:
    focal_point, _ = role_grant(username="fp-pledge", role="focal-point", state_code="QG")
    project = Project.objects.get(field_operation=operation)
    services.pledge_create(actor=focal_point, project=project, amount_eur="20000")


def _rename_project(operation: FieldOperation) -> None:
    hr, _ = role_grant(username="hr-project", role="hr")
    project = Project.objects.get(field_operation=operation)
    services.project_update(actor=hr, project=project, title="Clean water for all")


DETAIL_CHANGES: list[tuple[str, Callable[[FieldOperation], Any], str]] = [
    (
        "the operation renamed",
        lambda op: FieldOperation.objects.filter(pk=op.pk).update(location="Tbilisi"),
        "Tbilisi",
    ),
    ("its predecessor renamed", lambda op: _rename(op.predecessor.slug, "Older Mission"), "Older Mission"),
    (
        "a new head",
        lambda op: HeadFactory(operation=op, name="John Roe", started=datetime.date(2025, 1, 1)),
        "John Roe",
    ),
    (
        "the host State renamed",
        lambda op: State.objects.filter(pk=op.host_state_id).update(name="Georgiania"),
        "Georgiania",
    ),
    (
        "a dimension added",
        lambda op: op.dimensions.add(Dimension.objects.create(slug="pm", name="Politico-military")),
        "Politico-military",
    ),
    (
        "a topic added",
        lambda op: op.topics.add(
            Topic.objects.create(slug="policing", name="Policing", dimension_id="human")
        ),
        "Policing",
    ),
    ("figures recorded (the service)", _record_figures, "777"),
    (
        "a mandate renewal",
        lambda op: MandateEventFactory(operation=op, kind=MandateEvent.Kind.RENEWAL, decision="PC.DEC/1600"),
        "PC.DEC/1600",
    ),
    (
        "a mandate event edited",
        lambda op: MandateEvent.objects.filter(operation=op).update(note="Extended by consensus"),
        "Extended by consensus",
    ),
    (
        "a project added",
        lambda op: ProjectFactory(field_operation=op, title="Roads for all"),
        "Roads for all",
    ),
    ("a project edited (the service)", _rename_project, "Clean water for all"),
    ("a pledge made (the service)", _pledge, "30\u202f000"),
    (
        "a vacancy opened",
        lambda op: VacancyFactory(field_operation=op, reference="VNNEWS90002"),
        "VNNEWS90002",
    ),
    (
        "a vacancy retitled",
        lambda op: Vacancy.objects.filter(field_operation=op).update(title="Judge Mentor"),
        "Judge Mentor",
    ),
    (
        "an election in the host State",
        lambda op: ElectionFactory(state=op.host_state, date=datetime.date(2026, 3, 1)),
        "2026-03-01",
    ),
]


@pytest.mark.parametrize(
    ("change", "shown"), [row[1:] for row in DETAIL_CHANGES], ids=[row[0] for row in DETAIL_CHANGES]
)
def test_the_detail_shows_a_change_at_once(
    client: Client, operation: FieldOperation, change: Callable[[FieldOperation], Any], shown: str
) -> None:
    url = operation.get_absolute_url()
    client.get(url)
    assert shown not in main(client.get(url))  # cached without it
    change(operation)
    assert shown in main(client.get(url))


def test_a_vacancy_closing_leaves_the_page_at_once(client: Client, operation: FieldOperation) -> None:
    url = operation.get_absolute_url()
    assert "VNNEWS90001" in main(client.get(url))
    Vacancy.objects.filter(reference="VNNEWS90001").update(status=Vacancy.Status.CLOSED)
    assert "VNNEWS90001" not in main(client.get(url))


def test_the_detail_in_each_language(client: Client, operation: FieldOperation) -> None:
    url = operation.get_absolute_url()
    assert "Mandate history" in main(client.get(url))
    french = main(client.get(url, headers={"Accept-Language": "fr"}))
    assert (
        "Mandate history" not in french
        and 'lang="fr"' in client.get(url, headers={"Accept-Language": "fr"}).content.decode()
    )
    assert "Mandate history" in main(client.get(url))


def test_hr_s_form_is_never_cached(client: Client, operation: FieldOperation, alice: Any) -> None:
    """Anonymous first, then HR, then anonymous again: the form (and its CSRF token) only for HR."""
    url = operation.get_absolute_url()
    assert "Record figures" not in main(client.get(url))
    hr = Client()
    hr.force_login(alice)
    assert "Record figures" in main(hr.get(url))
    assert "Record figures" not in main(client.get(url))
    assert "Record figures" in main(hr.get(url))


def test_each_hr_user_gets_a_form_with_their_own_csrf_token(operation: FieldOperation, alice: Any) -> None:
    """HR's page rendered for one HR user, then another: the second one's form posts with its token."""
    url = operation.get_absolute_url()
    first = Client(enforce_csrf_checks=True)
    first.force_login(alice)
    first.get(url)
    other, _ = role_grant(username="hr-two", role="hr")
    second = Client(enforce_csrf_checks=True)
    second.force_login(other)
    page = second.get(url).content.decode()
    form = page[page.index('action="/missions/' + operation.slug + '/figures/"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]  # type: ignore[index]
    response = second.post(
        f"/missions/{operation.slug}/figures/",
        {
            "csrfmiddlewaretoken": token,
            "as_of": "2025-06-30",
            "international_seconded": "1",
            "international_contracted": "1",
            "local_staff": "4242",
        },
    )
    assert response.status_code == 302
    assert "4242" in main(second.get(url))


def test_a_section_naming_no_table_is_keyed_by_every_table(
    client: Client, operation: FieldOperation, tmp_path: Any, settings: Any
) -> None:
    (tmp_path / "partners_section.html").write_text("<p>partners: {{ section.count }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    register_section(
        order=30,
        template_name="partners_section.html",
        context=lambda op, request: {"count": Partner.objects.count()},
    )
    try:
        url = operation.get_absolute_url()
        assert "partners: 0" in main(client.get(url))
        Partner.objects.create(
            code="JP", name="Japan", group=Partner.Group.ASIAN, since=1992
        )  # read by no other part
        assert "partners: 1" in main(client.get(url))
    finally:
        unregister_section("partners_section.html")


def test_a_section_registered_later_shows_at_once(
    client: Client, operation: FieldOperation, tmp_path: Any, settings: Any
) -> None:
    (tmp_path / "late_section.html").write_text("<p>A late section</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    url = operation.get_absolute_url()
    client.get(url)
    register_section(order=40, template_name="late_section.html", context=lambda op, request: {}, models=())
    try:
        assert "A late section" in main(client.get(url))
    finally:
        unregister_section("late_section.html")
