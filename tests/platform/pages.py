"""Every kind of page the portal serves, for the browser tests that walk them all.

``PAGES`` is the one list: (name, address or address-builder, who is logged in[, status]). To cover a
new page, add a row; a builder receives the objects that ``portal_pages()`` made (``data["vacancy"]``,
...), and may also query the database itself. ``who`` is a username of the test cast in
tests/conftest.py (``alice`` HR, ``olga`` ODIHR, ``bob`` focal point of AT, ``dave`` no role) or
``ANON``.

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
ODIHR = "olga"
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


def _activity(data: dict[str, Any]) -> str:
    return f"/elections/activities/{data['activity'].pk}/"


PAGES: list[PageCase] = [
    # Public pages (CONTRACT.md §4 and the rest of the URL configuration).
    PageCase("home", "/"),
    PageCase("states", "/states/"),
    PageCase("state", "/states/AT/"),
    PageCase("dimensions", "/dimensions/"),
    PageCase("bodies", "/bodies/"),
    PageCase("body", "/bodies/permanent-council/"),
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
    PageCase("recommendations", "/elections/recommendations/"),
    PageCase("recommendation", lambda d: f"/elections/recommendations/{d['recommendation'].pk}/"),
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
    PageCase("person (HR)", lambda d: f"/secondments/persons/{d['person'].pk}/", HR),
    PageCase("observer offers (HR)", "/elections/offers/", HR),
    PageCase("observers requested and offered (HR)", lambda d: _activity(d) + "observers/", HR),
    PageCase("field operation (HR)", lambda d: f"/missions/{d['operation'].slug}/", HR),
    PageCase("new project", "/projects/new/", HR),
    PageCase("edit project", lambda d: f"/projects/{d['project'].pk}/edit/", HR),
    PageCase("saved searches", "/vacancies/searches/", HR),
    PageCase("calendar addresses (HR)", "/vacancies/calendar/", HR),
    PageCase("my account (HR)", "/accounts/me/", HR),
    PageCase("audit trail", "/audit/", HR),
    PageCase("change password", "/accounts/password/", HR),
    PageCase("password changed", "/accounts/password/done/", HR),
    PageCase("log out", "/accounts/logout/", HR),
    # A State's focal point.
    PageCase("vacancy (focal point)", _vacancy, FOCAL),
    PageCase("nominate", lambda d: _vacancy(d) + "nominate/", FOCAL),
    PageCase("nominations (focal point)", "/nominations/", FOCAL),
    PageCase("nomination (focal point)", lambda d: f"/nominations/{d['nomination'].pk}/", FOCAL),
    PageCase("secondments (focal point)", "/secondments/", FOCAL),
    PageCase("observer offers (focal point)", "/elections/offers/", FOCAL),
    PageCase("election (focal point)", lambda d: f"/elections/{d['election'].pk}/", FOCAL),
    PageCase("election with offers open (focal point)", lambda d: f"/elections/{d['observed'].pk}/", FOCAL),
    PageCase("change an offer of observers", lambda d: f"/elections/offers/{d['offer'].pk}/edit/", FOCAL),
    PageCase("project (focal point)", lambda d: f"/projects/{d['project'].pk}/", FOCAL),
    PageCase("calendar addresses (focal point)", "/vacancies/calendar/", FOCAL),
    PageCase("edit the permanent mission", "/states/AT/delegation/", FOCAL),
    PageCase("my account (focal point)", "/accounts/me/", FOCAL),
    PageCase("my notifications (focal point)", "/accounts/me/notifications/", FOCAL),
    # ODIHR's election staff.
    PageCase("election (ODIHR)", lambda d: f"/elections/{d['observed'].pk}/", ODIHR),
    PageCase("new election", "/elections/new/", ODIHR),
    PageCase("edit election", lambda d: f"/elections/{d['observed'].pk}/edit/", ODIHR),
    PageCase("new observation activity", lambda d: f"/elections/{d['observed'].pk}/activities/new/", ODIHR),
    PageCase("edit observation activity", lambda d: _activity(d) + "edit/", ODIHR),
    PageCase("observers requested and offered (ODIHR)", lambda d: _activity(d) + "observers/", ODIHR),
    PageCase("publish a report", lambda d: _activity(d) + "reports/new/", ODIHR),
    PageCase("add a recommendation", lambda d: _activity(d) + "recommendations/new/", ODIHR),
    PageCase(
        "recommendation (ODIHR)", lambda d: f"/elections/recommendations/{d['recommendation'].pk}/", ODIHR
    ),
    PageCase(
        "edit recommendation", lambda d: f"/elections/recommendations/{d['recommendation'].pk}/edit/", ODIHR
    ),
    PageCase("observer offers (ODIHR)", "/elections/offers/", ODIHR),
    # Logged in with no role.
    PageCase("forbidden (403)", "/vacancies/new/", NO_ROLE, status=403),
]


def portal_pages(*, alice: Any, bob: Any, dave: Any) -> dict[str, Any]:
    """Reference data and one of everything the pages above show, with fixed dates where shown."""
    from accounts.services import token_create
    from missions.models import FieldOperation
    from secondments import services as secondments
    from secondments.models import Nomination, SavedSearch, Secondment
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
    olga = _odihr_user()
    observed, observing, offer, recommendation = _election_observation(olga=olga, bob=bob)
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
        "observed": observed,
        "activity": observing,
        "offer": offer,
        "recommendation": recommendation,
        "person": Secondment.objects.get(nomination=chosen).person,
    }


def _odihr_user() -> Any:
    from accounts.services import role_grant

    user, _created = role_grant(username=ODIHR, role="odihr")
    user.set_password(PASSWORD)
    user.email = "olga@example.org"
    user.save()
    return user


def _election_observation(*, olga: Any, bob: Any) -> tuple[Any, Any, Any, Any]:
    """An election in Georgia with its EOM (offers open), Austria's offer with a named observer,
    the final report of an earlier EOM with an assessed recommendation (the State's chart)."""
    from elections import services as elections
    from states.models import State, Topic

    georgia = State.objects.get(code="GE")
    today = timezone.localdate()
    observed = elections.election_create(
        actor=olga, state=georgia, kind="parliamentary", date=today + datetime.timedelta(days=60)
    )
    observing = elections.activity_create(
        actor=olga,
        election=observed,
        kind="EOM",
        opened=today + datetime.timedelta(days=18),
        head="Ambassador Anna-Katharina Oberhuber-Mustermann",
        core_team_size=13,
        lto_requested=30,
        sto_requested=350,
        sto_deadline=today + datetime.timedelta(days=50),
    )
    offer = elections.observer_offer_create(
        actor=bob,
        activity=observing,
        lto=2,
        sto=10,
        note=f"Contact: {LONG_EMAIL}",
        observers=[{"name": "Anna-Katharina Oberhuber-Mustermann", "role": "lto", "languages": ["de", "ka"]}],
    )
    earlier = elections.election_create(
        actor=olga, state=georgia, kind="presidential", date=datetime.date(2024, 10, 26)
    )
    eom = elections.activity_create(
        actor=olga, election=earlier, kind="EOM", opened=datetime.date(2024, 9, 10)
    )
    final = elections.report_add(
        actor=olga,
        activity=eom,
        kind="final",
        published=datetime.date(2025, 2, 20),
        title="Final report",
        link=LONG_URL,
    )
    recommendation = elections.recommendation_add(
        actor=olga,
        report=final,
        text=f"The {LONG_WORD} should publish results by polling station, promptly.",
        topic=Topic.objects.order_by("slug").first(),
    )
    elections.recommendation_assess(
        actor=olga,
        recommendation=recommendation,
        status="partially",
        assessed_on=datetime.date(2025, 11, 3),
        note="Draft law.",
    )
    return observed, observing, offer, recommendation


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
