"""Access control over every route: ONE table of every page and endpoint of the URL configuration,
read (GET) by each member of the cast, with the status each must get.

The cast: ``anonymous``; ``hr`` (alice); ``odihr`` (olga); ``owner``, the focal point of the State
that owns the objects (bob, Austria: its nomination with a CV, secondment, offer of observers,
pledge, webhook, API token); ``other``, another State's focal point (carol, Germany); ``partner``,
a Partner's focal point (erin, Japan); ``staff`` (the Django admin, no portal role).

Writes are tried through every door by tests/test_doors.py; here a write route's address is read
with GET (a form page, or 405). ``test_every_route_is_in_the_table`` fails when the URL
configuration has a route that the table lacks: a new page or endpoint must say who may read it.
The Django admin's routes are generated from its registry (``ADMIN``): nobody but staff gets in.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.services import token_create
from core import opendata
from elections.models import Report
from missions.models import Pledge
from secondments import services as secondments
from secondments.models import Secondment
from secondments.services import VACANCY_FIELDS
from states.models import Body, Chairpersonship, Delegation
from tests.conftest import make_pdf
from tests.elections.factories import ReportFactory
from tests.platform.pages import portal_pages
from webhooks.models import Webhook

CAST = ("anonymous", "hr", "odihr", "owner", "other", "partner", "staff")
USERS = {
    "hr": "alice",
    "odihr": "olga",
    "owner": "bob",
    "other": "carol",
    "partner": "erin",
    "staff": "staff",
}

# A page sends the anonymous visitor to log in: 302 to the login page.
LOGIN = "login"
# A GET of a page's POST-only action sends the browser back to the object's page (which is guarded).
BACK = 302
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, UNAUTHORISED = 200, 403, 404, 405, 401


Status = int | str


def everyone(status: Status, **overrides: Status) -> dict[str, Status]:
    return {**dict.fromkeys(CAST, status), **overrides}


PUBLIC = everyone(OK)
# Logged in, any role (own account pages), or sent to log in.
SIGNED_IN = everyone(OK, anonymous=LOGIN)
# HR only; the others are refused, the anonymous sent to log in.
HR_PAGE = everyone(FORBIDDEN, anonymous=LOGIN, hr=OK)
ODIHR_PAGE = everyone(FORBIDDEN, anonymous=LOGIN, odihr=OK)
HR_API = everyone(FORBIDDEN, anonymous=UNAUTHORISED, hr=OK)
# A State's object (nomination, secondment...): HR and the owning State; another State or a Partner
# is told it does not exist; a role without business with it is refused.
OWNED_PAGE = everyone(FORBIDDEN, anonymous=LOGIN, hr=OK, owner=OK, other=NOT_FOUND, partner=NOT_FOUND)
OWNED_API = {**OWNED_PAGE, "anonymous": UNAUTHORISED}
# A list scoped to the caller: HR everything, a focal point its own (possibly nothing).
SCOPED_PAGE = everyone(FORBIDDEN, anonymous=LOGIN, hr=OK, owner=OK, other=OK, partner=OK)
SCOPED_API = {**SCOPED_PAGE, "anonymous": UNAUTHORISED}
# A POST-only action or endpoint read with GET.
POST_ONLY_PAGE = everyone(NOT_ALLOWED)
ACTION_PAGE = everyone(BACK)
POST_ONLY_API = everyone(NOT_ALLOWED)


class Route(NamedTuple):
    """A route (its URL name) read at ``path`` (formatted with the world) by each member of the cast."""

    name: str
    path: str
    expected: dict[str, Status]


V = "/vacancies/{vacancy}"
A = "/api/v1"

ROUTES: list[Route] = [
    # --- Platform -------------------------------------------------------------------------------
    Route("home", "/", PUBLIC),
    Route("healthz", "/healthz", PUBLIC),
    Route("readyz", "/readyz", PUBLIC),
    Route("set_language", "/i18n/setlang/", everyone(BACK)),  # a GET goes back where it came from
    # --- Accounts -------------------------------------------------------------------------------
    Route("accounts:login", "/accounts/login/", everyone(BACK, anonymous=OK)),  # logged in: home
    Route("accounts:logout", "/accounts/logout/", PUBLIC),
    Route("accounts:profile", "/accounts/me/", SIGNED_IN),
    Route("accounts:notifications", "/accounts/me/notifications/", SIGNED_IN),
    Route("accounts:preference-update", "/accounts/me/preferences/", everyone(NOT_ALLOWED, anonymous=LOGIN)),
    Route("accounts:password", "/accounts/password/", SIGNED_IN),
    Route("accounts:password-done", "/accounts/password/done/", SIGNED_IN),
    Route("accounts:audit", "/audit/", HR_PAGE),
    Route("accounts:token-create", "/accounts/me/tokens/", everyone(NOT_ALLOWED, anonymous=LOGIN)),
    Route(
        "accounts:token-revoke",
        "/accounts/me/tokens/{token}/revoke/",
        everyone(NOT_ALLOWED, anonymous=LOGIN),
    ),
    # --- States, dimensions ---------------------------------------------------------------------
    Route("states:list", "/states/", PUBLIC),
    Route("states:detail", "/states/AT/", PUBLIC),
    Route("states:dimensions", "/dimensions/", PUBLIC),
    Route("states:bodies", "/bodies/", PUBLIC),
    Route("states:body", "/bodies/{body}/", PUBLIC),
    # The focal point of the State edits its delegation; another State's is told it is not there; a
    # Partner's (no delegation of a State to edit) and the other roles are refused.
    Route(
        "states:delegation-edit",
        "/states/AT/delegation/",
        everyone(FORBIDDEN, anonymous=LOGIN, owner=OK, other=NOT_FOUND),
    ),
    # --- Field operations and projects ----------------------------------------------------------
    Route("missions:list", "/missions/", PUBLIC),
    Route("missions:detail", "/missions/{operation}/", PUBLIC),
    Route("missions:figures-create", "/missions/{operation}/figures/", POST_ONLY_PAGE),
    Route("missions:project-list", "/projects/", PUBLIC),
    Route("missions:project-detail", "/projects/{project}/", PUBLIC),
    Route("missions:project-create", "/projects/new/", HR_PAGE),
    Route("missions:project-edit", "/projects/{project}/edit/", HR_PAGE),
    Route("missions:pledge-create", "/projects/{project}/pledge/", POST_ONLY_PAGE),
    Route("missions:pledge-receipt", "/projects/{project}/pledges/{pledge}/receipt/", POST_ONLY_PAGE),
    # --- Vacancies, nominations, secondments ----------------------------------------------------
    Route("secondments:list", "/vacancies/", PUBLIC),
    Route("secondments:detail", V + "/", PUBLIC),
    Route("secondments:notice", V + "/notice/", PUBLIC),
    Route("secondments:create", "/vacancies/new/", HR_PAGE),
    Route("secondments:edit", V + "/edit/", HR_PAGE),
    Route("secondments:dashboard", "/vacancies/dashboard/", HR_PAGE),
    Route("secondments:statistics", "/vacancies/statistics/", HR_PAGE),
    Route("secondments:statistics-csv", "/vacancies/statistics.csv", HR_PAGE),
    Route("secondments:deadlines-ics", "/vacancies/deadlines.ics", PUBLIC),
    Route("secondments:feed-atom", "/vacancies/feed.atom", PUBLIC),
    Route("secondments:calendar-tokens", "/vacancies/calendar/", SIGNED_IN),
    # A secret calendar address is its own credential: whoever holds it reads the owner's calendar.
    Route("secondments:calendar", "/vacancies/calendar/{calendar}.ics", PUBLIC),
    Route("secondments:searches", "/vacancies/searches/", SIGNED_IN),
    Route("secondments:publish", V + "/publish/", ACTION_PAGE),
    Route("secondments:close", V + "/close/", ACTION_PAGE),
    Route("secondments:extend", V + "/extend/", ACTION_PAGE),
    Route("secondments:cancel", V + "/cancel/", ACTION_PAGE),
    Route(
        "secondments:nominate",
        V + "/nominate/",
        everyone(FORBIDDEN, anonymous=LOGIN, owner=OK, other=OK, partner=OK),
    ),
    Route("secondments:nominations", "/nominations/", SCOPED_PAGE),
    Route("secondments:nomination", "/nominations/{nomination}/", OWNED_PAGE),
    Route("secondments:nomination-cv", "/nominations/{nomination}/cv/", OWNED_PAGE),
    Route("secondments:nomination-decide", "/nominations/{nomination}/decide/", ACTION_PAGE),
    Route("secondments:nomination-withdraw", "/nominations/{nomination}/withdraw/", ACTION_PAGE),
    Route("secondments:nomination-update", "/nominations/{nomination}/update/", ACTION_PAGE),
    Route("secondments:secondments", "/secondments/", SCOPED_PAGE),
    Route("secondments:secondment-renew", "/secondments/{secondment}/renew/", ACTION_PAGE),
    Route("secondments:person", "/secondments/persons/{person}/", HR_PAGE),
    Route("secondments:person-merge", "/secondments/persons/{person}/merge/", ACTION_PAGE),
    # --- Elections ------------------------------------------------------------------------------
    Route("elections:list", "/elections/", PUBLIC),
    Route("elections:detail", "/elections/{election}/", PUBLIC),
    Route("elections:create", "/elections/new/", ODIHR_PAGE),
    Route("elections:edit", "/elections/{election}/edit/", ODIHR_PAGE),
    Route("elections:calendar-feed", "/elections/calendar.ics", PUBLIC),
    Route(
        "elections:offers",
        "/elections/offers/",
        everyone(FORBIDDEN, anonymous=LOGIN, hr=OK, odihr=OK, owner=OK, other=OK),
    ),
    # A Partner offers no observers at all: refused whether the offer exists or not (see EXTRA).
    Route(
        "elections:offer-edit",
        "/elections/offers/{offer}/edit/",
        everyone(FORBIDDEN, anonymous=LOGIN, owner=OK, other=NOT_FOUND),
    ),
    Route("elections:offer-withdraw", "/elections/offers/{offer}/withdraw/", ACTION_PAGE),
    Route(
        "elections:offer-create",
        "/elections/activities/{activity}/offer/",  # the form is on the election's page
        everyone(FORBIDDEN, anonymous=LOGIN, owner=BACK, other=BACK),
    ),
    Route("elections:recommendations", "/elections/recommendations/", PUBLIC),
    Route("elections:recommendation", "/elections/recommendations/{recommendation}/", PUBLIC),
    Route("elections:recommendation-edit", "/elections/recommendations/{recommendation}/edit/", ODIHR_PAGE),
    Route(
        "elections:recommendation-assess", "/elections/recommendations/{recommendation}/assess/", ACTION_PAGE
    ),
    Route("elections:state-recommendations", "/elections/recommendations/AT/", PUBLIC),
    Route("elections:report-file", "/elections/reports/{report}/file/", PUBLIC),
    Route("elections:activity-create", "/elections/{observed}/activities/new/", ODIHR_PAGE),
    Route("elections:activity-edit", "/elections/activities/{activity}/edit/", ODIHR_PAGE),
    Route(
        "elections:activity-observers",
        "/elections/activities/{activity}/observers/",
        everyone(FORBIDDEN, anonymous=LOGIN, hr=OK, odihr=OK),
    ),
    Route("elections:activity-roster", "/elections/activities/{activity}/roster.csv", ODIHR_PAGE),
    Route("elections:report-create", "/elections/activities/{activity}/reports/new/", ODIHR_PAGE),
    Route(
        "elections:recommendation-create", "/elections/activities/{activity}/recommendations/new/", ODIHR_PAGE
    ),
    # --- API ------------------------------------------------------------------------------------
    Route("api:api-root", A + "/", PUBLIC),
    Route("api:schema", A + "/schema/", PUBLIC),
    Route("api:open-data-list", A + "/open-data/", PUBLIC),
    Route("api:open-data-file", A + "/open-data/vacancies.csv", PUBLIC),
    Route("api:docs", A + "/docs/", PUBLIC),
    Route("api:state-list", A + "/states/", PUBLIC),
    Route("api:state-detail", A + "/states/AT/", PUBLIC),
    Route("api:partner-list", A + "/partners/", PUBLIC),
    Route("api:partner-detail", A + "/partners/JP/", PUBLIC),
    Route("api:dimension-list", A + "/dimensions/", PUBLIC),
    Route("api:dimension-detail", A + "/dimensions/human/", PUBLIC),
    Route("api:body-list", A + "/bodies/", PUBLIC),
    Route("api:body-detail", A + "/bodies/{body}/", PUBLIC),
    Route("api:chairpersonship-list", A + "/chairpersonships/", PUBLIC),
    Route("api:chairpersonship-detail", A + "/chairpersonships/{chair}/", PUBLIC),
    Route("api:delegation-list", A + "/delegations/", PUBLIC),
    Route("api:delegation-detail", A + "/delegations/{delegation}/", PUBLIC),
    Route("api:field-operation-list", A + "/field-operations/", PUBLIC),
    Route("api:field-operation-detail", A + "/field-operations/{operation}/", PUBLIC),
    Route("api:project-list", A + "/projects/", PUBLIC),
    Route("api:project-detail", A + "/projects/{project}/", PUBLIC),
    Route("api:project-pledges", A + "/projects/{project}/pledges/", POST_ONLY_API),
    Route("api:vacancy-list", A + "/vacancies/", PUBLIC),
    Route("api:vacancy-detail", A + "/vacancies/{vacancy}/", PUBLIC),
    Route("api:vacancy-publish", A + "/vacancies/{vacancy}/publish/", POST_ONLY_API),
    Route("api:vacancy-close", A + "/vacancies/{vacancy}/close/", POST_ONLY_API),
    Route("api:vacancy-extend", A + "/vacancies/{vacancy}/extend/", POST_ONLY_API),
    Route("api:vacancy-cancel", A + "/vacancies/{vacancy}/cancel/", POST_ONLY_API),
    Route("api:vacancy-nominations", A + "/vacancies/{vacancy}/nominations/", POST_ONLY_API),
    Route("api:nomination-list", A + "/nominations/", SCOPED_API),
    Route("api:nomination-detail", A + "/nominations/{nomination}/", OWNED_API),
    Route("api:nomination-withdraw", A + "/nominations/{nomination}/withdraw/", POST_ONLY_API),
    Route("api:secondment-list", A + "/secondments/", SCOPED_API),
    Route("api:secondment-detail", A + "/secondments/{secondment}/", OWNED_API),
    Route("api:secondment-renew", A + "/secondments/{secondment}/renew/", POST_ONLY_API),
    Route("api:election-list", A + "/elections/", PUBLIC),
    Route("api:election-detail", A + "/elections/{election}/", PUBLIC),
    Route("api:observation-activity-list", A + "/observation-activities/", PUBLIC),
    Route("api:observation-activity-detail", A + "/observation-activities/{activity}/", PUBLIC),
    Route(
        "api:observation-activity-observer-offers",
        A + "/observation-activities/{activity}/observer-offers/",
        everyone(FORBIDDEN, anonymous=UNAUTHORISED, hr=OK, odihr=OK, owner=OK, other=OK),
    ),
    Route(
        "api:observation-activity-reports", A + "/observation-activities/{activity}/reports/", POST_ONLY_API
    ),
    Route(
        "api:observer-offer-list",
        A + "/observer-offers/",
        everyone(FORBIDDEN, anonymous=UNAUTHORISED, hr=OK, odihr=OK, owner=OK, other=OK),
    ),
    Route(
        "api:observer-offer-detail",
        A + "/observer-offers/{offer}/",
        everyone(FORBIDDEN, anonymous=UNAUTHORISED, hr=OK, odihr=OK, owner=OK, other=NOT_FOUND),
    ),
    Route("api:recommendation-list", A + "/recommendations/", PUBLIC),
    Route("api:recommendation-detail", A + "/recommendations/{recommendation}/", PUBLIC),
    Route(
        "api:recommendation-assessments", A + "/recommendations/{recommendation}/assessments/", POST_ONLY_API
    ),
    # Each user sees its own webhooks only: another's is not there.
    Route("api:webhook-list", A + "/webhooks/", everyone(OK, anonymous=UNAUTHORISED)),
    Route(
        "api:webhook-detail",
        A + "/webhooks/{webhook}/",
        everyone(NOT_FOUND, anonymous=UNAUTHORISED, owner=OK),
    ),
    Route(
        "api:webhook-deliveries",
        A + "/webhooks/{webhook}/deliveries/",
        everyone(NOT_FOUND, anonymous=UNAUTHORISED, owner=OK),
    ),
]

# Rows beyond one per route: objects hidden from most of the cast.
EXTRA: list[Route] = [
    Route(
        "elections:offer-edit",
        "/elections/offers/999999/edit/",  # HR and ODIHR see every offer: no secret to keep
        everyone(NOT_FOUND, anonymous=LOGIN, partner=FORBIDDEN, staff=FORBIDDEN),
    ),
    Route(
        "secondments:nomination", "/nominations/999999/", {**OWNED_PAGE, "owner": NOT_FOUND, "hr": NOT_FOUND}
    ),
    Route("secondments:detail", "/vacancies/{draft}/", everyone(NOT_FOUND, hr=OK)),
    Route("api:vacancy-detail", A + "/vacancies/{draft}/", everyone(NOT_FOUND, hr=OK)),
]

ADMIN_LOGIN = 302  # the admin sends anyone but staff to its own log-in page


@pytest.fixture
def world(
    alice: Any, bob: Any, carol: Any, dave: Any, erin: Any, staff: Any, tmp_path: Path, settings: Any
) -> Iterator[dict[str, Any]]:
    """One of everything (tests/platform/pages.py's world), plus a CV on Austria's nomination, a
    report's PDF, bob's webhook and API token, a draft vacancy."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    data = portal_pages(alice=alice, bob=bob, dave=dave)
    nomination = data["nomination"]
    nomination.cv.save("cv.pdf", ContentFile(make_pdf()), save=True)
    report = ReportFactory.build(activity=data["activity"], kind=Report.Kind.INTERIM, link="")
    report.file.save("report.pdf", ContentFile(make_pdf()), save=True)
    secondment = Secondment.objects.get(state_id="AT")
    webhook = Webhook.objects.create(
        user=bob, target="https://ministry.example.org/hook", events=["vacancy.published"], secret="s" * 20
    )
    token, _raw = token_create(user=bob, name="ministry system")
    _row, calendar = secondments.calendar_token_create(actor=bob)
    fields = {name: getattr(data["vacancy"], name) for name in VACANCY_FIELDS if name != "deadline"}
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    draft = secondments.vacancy_create(actor=alice, **fields, deadline=deadline)
    settings.OPEN_DATA_DIR = str(tmp_path / "open-data")
    opendata.build()  # the nightly dumps, so their files are there to be read
    yield {
        "vacancy": data["vacancy"].reference,
        "draft": draft.reference,
        "operation": data["operation"].slug,
        "project": data["project"].pk,
        "pledge": Pledge.objects.get(project=data["project"], state_id="AT").pk,
        "nomination": nomination.pk,
        "secondment": secondment.pk,
        "person": data["person"].pk,
        "election": data["election"].pk,
        "observed": data["observed"].pk,
        "activity": data["activity"].pk,
        "offer": data["offer"].pk,
        "recommendation": data["recommendation"].pk,
        "report": report.pk,
        "webhook": webhook.pk,
        "token": token.pk,
        "calendar": calendar,
        "body": Body.objects.order_by("slug").first().slug,
        "chair": Chairpersonship.objects.order_by("year").last().year,
        "delegation": Delegation.objects.order_by("state_id").first().state_id,
    }
    shutil.rmtree(tmp_path / "private", ignore_errors=True)


def _client(who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(get_user_model().objects.get(username=USERS[who]))
    return client


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif isinstance(pattern, URLPattern):
                names.add(prefix + (pattern.name or f"<unnamed {pattern.pattern}>"))

    walk(get_resolver().url_patterns)
    return names


def _admin_routes(world: dict[str, Any]) -> list[Route]:
    """Every admin route: nobody but staff gets in; staff gets what its ModelAdmin allows."""
    staff = get_user_model().objects.get(username="staff")
    request = RequestFactory().get("/admin/")
    request.user = staff
    outsiders = dict.fromkeys(CAST[:-1], ADMIN_LOGIN)
    routes = [
        Route("admin:index", "/admin/", {**outsiders, "staff": OK}),
        Route("admin:login", "/admin/login/", {**dict.fromkeys(CAST[:-1], OK), "staff": 302}),
        Route("admin:logout", "/admin/logout/", {**outsiders, "staff": NOT_ALLOWED}),
        Route("admin:password_change", "/admin/password_change/", {**outsiders, "staff": OK}),
        Route("admin:password_change_done", "/admin/password_change/done/", {**outsiders, "staff": OK}),
        Route("admin:jsi18n", "/admin/jsi18n/", {**outsiders, "staff": OK}),
        # Without its parameters (a model with an autocomplete field) even staff is refused.
        Route("admin:autocomplete", "/admin/autocomplete/", {**outsiders, "staff": FORBIDDEN}),
        Route("admin:view_on_site", "/admin/r/1/1/", {**outsiders, "staff": NOT_FOUND}),
        # The admin's catch-all: an unknown admin address is a 404 to staff, a log-in to the rest.
        Route("admin:<unnamed (?P<url>.*)$>", "/admin/no-such-page/", {**outsiders, "staff": NOT_FOUND}),
    ]
    user = get_user_model().objects.get(username="bob")
    routes.append(
        Route(
            "admin:auth_user_password_change",
            f"/admin/auth/user/{user.pk}/password/",
            {**outsiders, "staff": OK},
        )
    )
    labels = sorted({model._meta.app_label for model in admin.site._registry})
    routes += [Route("admin:app_list", f"/admin/{label}/", {**outsiders, "staff": OK}) for label in labels]
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = model._default_manager.order_by("pk").first()

        def status(allowed: bool) -> dict[str, int]:
            return {**outsiders, "staff": OK if allowed else FORBIDDEN}

        routes += [
            Route(f"{info}_changelist", reverse(f"{info}_changelist"), status(True)),
            Route(f"{info}_add", reverse(f"{info}_add"), status(model_admin.has_add_permission(request))),
        ]
        # With no row to show, staff allowed the view is sent back to the list (302).
        pk: Any = 0 if obj is None else obj.pk
        shown = OK if obj is not None else 302
        viewable = model_admin.has_view_or_change_permission(request, obj)
        found = {
            "change": shown if viewable else FORBIDDEN,
            "history": shown if viewable else FORBIDDEN,
            "delete": shown if model_admin.has_delete_permission(request, obj) else FORBIDDEN,
        }
        for view in ("change", "history", "delete"):
            path = reverse(f"{info}_{view}", args=[pk])
            routes.append(Route(f"{info}_{view}", path, {**outsiders, "staff": found[view]}))
        # ``<model>/<pk>/`` redirects staff to the change page (an old address).
        path = reverse(f"{info}_changelist") + f"{pk}/"
        routes.append(Route("admin:<unnamed <path:object_id>/>", path, {**outsiders, "staff": 302}))
    return routes


def test_every_route_is_in_the_table() -> None:
    """A route of the URL configuration missing from ROUTES (or ADMIN's generated rows) fails."""
    covered = {route.name for route in ROUTES}
    missing = {name for name in _route_names() if not name.startswith("admin:")} - covered
    assert missing == set(), f"add these routes to ROUTES with who may read them: {sorted(missing)}"
    assert covered - _route_names() == set(), "rows of the table name routes that do not exist"


@pytest.mark.django_db
def test_every_admin_route_is_generated(world: dict[str, Any]) -> None:
    admin_names = {name for name in _route_names() if name.startswith("admin:")}
    assert admin_names - {route.name for route in _admin_routes(world)} == set()


@pytest.mark.parametrize("who", CAST)
def test_who_reads_what(world: dict[str, Any], who: str) -> None:
    """Every route, read by ``who``: the status of the table, or a list of every disagreement."""
    client = _client(who)
    wrong = []
    for route in [*ROUTES, *EXTRA]:
        response = client.get(route.path.format(**world))
        expected = route.expected[who]
        got: Status = response.status_code
        if got == 302 and "/accounts/login/" in response["Location"]:
            got = LOGIN
        if got != expected:
            wrong.append(f"{route.name} {route.path}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("who", CAST)
def test_who_reads_the_admin(world: dict[str, Any], who: str) -> None:
    client = _client(who)
    wrong = []
    for route in _admin_routes(world):
        response = client.get(route.path)
        expected = route.expected[who]
        if response.status_code != expected:
            wrong.append(f"{route.name} {route.path}: {response.status_code}, expected {expected}")
        elif (
            expected == ADMIN_LOGIN
            and who != "staff"
            and route.name != "admin:logout"
            and "/admin/login/" not in response["Location"]
        ):
            wrong.append(f"{route.name}: redirected to {response['Location']}")
    assert not wrong, "\n".join(wrong)


def test_the_table_names_each_member_of_the_cast() -> None:
    for route in [*ROUTES, *EXTRA]:
        assert set(route.expected) == set(CAST), route.name
