"""Every kind of page the portal serves, for the browser tests that walk them all.

``PAGES`` is the one list: (name, address or address-builder, who is logged in[, status]). To cover a
new page, add a row; a builder receives the objects that ``portal_pages()`` made (``data["vacancy"]``,
...), and may also query the database itself. ``who`` is a username of the test cast in
tests/conftest.py (``alice`` HR, ``bob`` focal point of AT, ``dave`` no role) or ``ANON``.

Third-party pages (the Django admin, the API's browsable root and documentation) are marked
``ours=False``: only their width is checked, not their markup.

The data is made on purpose hard to lay out on a phone: a reference, a German compound word, a long
e-mail address and a long URL, the things that push a narrow page sideways.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any, NamedTuple

from django.core.management import call_command
from django.utils import timezone

PASSWORD = "correct horse battery staple"
ANON = None
HR = "alice"
FOCAL = "bob"
NO_ROLE = "dave"

LONG_EMAIL = "anna-katharina.oberhuber-mustermann@bmeia-personalabteilung.gv.at"
LONG_URL = "https://www.osce.org/files/f/documents/a/b/vacancy-notice-rule-of-law-officer-sarajevo-2026.pdf"
LONG_WORD = "Rechtsstaatlichkeitsbeauftragte"


class PageCase(NamedTuple):
    name: str
    url: str | Callable[[dict[str, Any]], str]
    who: str | None = ANON
    status: int = 200
    ours: bool = True  # False: a third-party page (admin, API docs): its width is checked, not its markup

    def address(self, data: dict[str, Any]) -> str:
        return self.url(data) if callable(self.url) else self.url


def _vacancy(data: dict[str, Any]) -> str:
    return f"/vacancies/{data['vacancy'].reference}/"


PAGES: list[PageCase] = [
    # Public pages (CONTRACT.md §4 and the rest of the URL configuration).
    PageCase("home", "/"),
    PageCase("states", "/states/"),
    PageCase("state", "/states/AT/"),
    PageCase("dimensions", "/dimensions/"),
    PageCase("field operations", "/missions/"),
    PageCase("field operation", lambda d: f"/missions/{d['operation'].slug}/"),
    PageCase("projects", "/projects/"),
    PageCase("project", lambda d: f"/projects/{d['project'].pk}/"),
    PageCase("vacancies", "/vacancies/"),
    PageCase("vacancy", _vacancy),
    PageCase("vacancy notice (print)", lambda d: _vacancy(d) + "notice/"),
    PageCase("elections", "/elections/"),
    PageCase("elections calendar", "/elections/?view=calendar"),
    PageCase("election", lambda d: f"/elections/{d['election'].pk}/"),
    PageCase("State's recommendations", "/elections/recommendations/AT/"),
    PageCase("login", "/accounts/login/"),
    PageCase("not found (404)", "/no-such-page/", status=404),
    PageCase("admin log-in", "/admin/login/", ours=False),
    PageCase("API root", "/api/v1/", ours=False),
    PageCase("API documentation", "/api/v1/docs/", ours=False),
    # HR.
    PageCase("vacancy (HR)", _vacancy, HR),
    PageCase("new vacancy", "/vacancies/new/", HR),
    PageCase("edit vacancy", lambda d: _vacancy(d) + "edit/", HR),
    PageCase("vacancy dashboard", "/vacancies/dashboard/", HR),
    PageCase("statistics", "/vacancies/statistics/", HR),
    PageCase("nominations (HR)", "/nominations/", HR),
    PageCase("nomination (HR)", lambda d: f"/nominations/{d['nomination'].pk}/", HR),
    PageCase("secondments (HR)", "/secondments/", HR),
    PageCase("observer offers (HR)", "/elections/offers/", HR),
    PageCase("field operation (HR)", lambda d: f"/missions/{d['operation'].slug}/", HR),
    PageCase("saved searches", "/vacancies/searches/", HR),
    PageCase("calendar addresses (HR)", "/vacancies/calendar/", HR),
    PageCase("my account (HR)", "/accounts/me/", HR),
    PageCase("log out", "/accounts/logout/", HR),
    # A State's focal point.
    PageCase("vacancy (focal point)", _vacancy, FOCAL),
    PageCase("nominate", lambda d: _vacancy(d) + "nominate/", FOCAL),
    PageCase("nominations (focal point)", "/nominations/", FOCAL),
    PageCase("nomination (focal point)", lambda d: f"/nominations/{d['nomination'].pk}/", FOCAL),
    PageCase("secondments (focal point)", "/secondments/", FOCAL),
    PageCase("observer offers (focal point)", "/elections/offers/", FOCAL),
    PageCase("election (focal point)", lambda d: f"/elections/{d['election'].pk}/", FOCAL),
    PageCase("project (focal point)", lambda d: f"/projects/{d['project'].pk}/", FOCAL),
    PageCase("calendar addresses (focal point)", "/vacancies/calendar/", FOCAL),
    PageCase("my account (focal point)", "/accounts/me/", FOCAL),
    # Logged in with no role.
    PageCase("forbidden (403)", "/vacancies/new/", NO_ROLE, status=403),
]


def portal_pages(*, alice: Any, bob: Any, dave: Any) -> dict[str, Any]:
    """Reference data and one of everything the pages above show, with fixed dates where shown."""
    from accounts.services import token_create
    from missions.models import FieldOperation
    from secondments import services as secondments
    from secondments.models import Nomination, SavedSearch
    from states.models import Dimension, State
    from tests.elections.factories import (
        ActivityFactory,
        ElectionFactory,
        OfferFactory,
        RecommendationFactory,
        ReportFactory,
    )
    from tests.missions.factories import FiguresFactory, PledgeFactory, ProjectFactory
    from tests.secondments.factories import NominationFactory, VacancyFactory

    call_command("load_reference_data", stdout=StringIO())
    austria = State.objects.get(code="AT")
    operation = FieldOperation.objects.get(slug="mission-to-bosnia-and-herzegovina")
    dimension = Dimension.objects.get(slug="human")
    published = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    vacancy = VacancyFactory(
        reference="VNBAHS00592",
        title=f"{LONG_WORD} (Rule of Law Officer)",
        field_operation=operation,
        dimension=dimension,
        duty_station="Sarajevo",
        description=f"Questions: {LONG_EMAIL}. The full notice: {LONG_URL}",
        deadline=datetime.date(2099, 6, 30),
        published=published,
    )
    VacancyFactory(
        reference="VNBAHS00593",
        title="Human Rights Officer",
        field_operation=operation,
        dimension=dimension,
        deadline=datetime.date(2099, 7, 15),
        published=published,
    )
    nomination = NominationFactory(
        vacancy=vacancy,
        state=austria,
        nationality=austria,
        given_name="Anna-Katharina",
        family_name="Oberhuber-Mustermann",
        email=LONG_EMAIL,
        status=Nomination.Status.SUBMITTED,
    )
    # A selected candidate makes a secondment (on a vacancy of its own: selecting fills it).
    filled = VacancyFactory(
        reference="VNBAHS00594", field_operation=operation, dimension=dimension, published=published
    )
    chosen = NominationFactory(vacancy=filled, state=austria, nationality=austria, email=LONG_EMAIL)
    secondments.vacancy_close(actor=alice, vacancy=filled)  # HR decides once nominations are closed
    secondments.nomination_decide(actor=alice, nomination=chosen, status=Nomination.Status.SHORTLISTED)
    secondments.nomination_decide(actor=alice, nomination=chosen, status=Nomination.Status.SELECTED)
    project = ProjectFactory(
        title=f"Strengthening the {LONG_WORD} network", field_operation=operation, dimension=dimension
    )
    PledgeFactory(project=project, state=austria, amount_eur=Decimal("125000.00"))
    FiguresFactory(operation=operation, as_of=datetime.date(2025, 1, 1))
    election = ElectionFactory(state=austria, date=timezone.localdate() + datetime.timedelta(days=90))
    activity = ActivityFactory(election=election)
    OfferFactory(activity=activity, state=austria)
    past = ActivityFactory(election=ElectionFactory(state=austria, date=datetime.date(2024, 9, 29)))
    RecommendationFactory(report=ReportFactory(activity=past, kind="final", link=LONG_URL))
    SavedSearch.objects.create(user=alice, name="Sarajevo, rule of law", query={"q": LONG_WORD})
    secondments.calendar_token_create(actor=alice)
    secondments.calendar_token_create(actor=bob)
    token_create(user=alice, name="ministry system")
    return {
        "operation": operation,
        "vacancy": vacancy,
        "nomination": nomination,
        "project": project,
        "election": election,
    }


def log_in(page: Any, username: str | None) -> None:
    """Start a fresh session in the page's context, logged in as ``username`` (None: anonymous)."""
    page.context.clear_cookies()
    if username is None:
        return
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/accounts/login/" not in page.url, f"could not log in as {username}"
