"""One door per write: every write action, tried through every door (page, API, admin where it
has an action) by every member of the cast, gets the same decision from each door.

The decision is the policy's and the rules' (``<app>/policies.py`` called by the service), so a
door that checks something of its own, or skips a check, shows up here as a disagreement. Each
door runs in its own rolled-back savepoint, on the same world, so "done" by one door does not
become "conflict" for the next.

Decisions: ``login`` (401, or the login page), ``forbidden`` (403), ``not found`` (404),
``invalid`` (400), ``conflict`` (409), ``done`` (2xx, or a redirect after success).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import token_create
from core.versions import read_versions, versioned_tables
from elections import services as elections_services
from missions.models import Project
from secondments import services
from secondments.models import Nomination, Secondment, Vacancy
from states.models import Body, Delegation, Dimension, State
from tests.conftest import make_pdf
from tests.secondments.factories import DimensionFactory, FieldOfExpertiseFactory, FieldOperationFactory

CAST = ("anonymous", "dave", "alice", "olga", "bob", "carol", "erin")

LOGIN, FORBIDDEN, NOT_FOUND, INVALID, CONFLICT, DONE = (
    "login",
    "forbidden",
    "not found",
    "invalid",
    "conflict",
    "done",
)


def everyone(decision: str, **overrides: str) -> dict[str, str]:
    """``decision`` for every logged-in member, ``login`` for anonymous, with ``overrides``."""
    return {"anonymous": LOGIN, **dict.fromkeys(CAST[1:], decision), **overrides}


def page_decision(response: Any) -> str:
    if response.status_code in (301, 302):
        return LOGIN if "/login/" in response["Location"] else DONE
    return _by_status(response.status_code)


def api_decision(response: Any) -> str:
    return _by_status(response.status_code)


def _by_status(status: int) -> str:
    if 200 <= status < 300:
        return DONE
    return {401: LOGIN, 403: FORBIDDEN, 404: NOT_FOUND, 400: INVALID, 409: CONFLICT}.get(
        status, f"HTTP {status}"
    )


def admin_decision(response: Any) -> str:
    """An admin action answers with a redirect and messages: an error message is a refusal."""
    if response.status_code in (301, 302) and "/login/" in response.get("Location", ""):
        return LOGIN
    levels = {message.level_tag for message in get_messages(response.wsgi_request)}
    return "refused" if "error" in levels else DONE


@dataclass
class Action:
    """A write action and how each door performs it; ``world`` holds the objects of the fixture."""

    name: str
    expected: dict[str, str]
    page: Callable[[Client, dict[str, Any]], Any] | None = None
    api: Callable[[APIClient, dict[str, Any]], Any] | None = None
    admin: Callable[[Client, dict[str, Any]], Any] | None = None
    doors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.doors = [door for door in ("page", "api", "admin") if getattr(self, door) is not None]


def _deadline(days: int = 30) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _vacancy_form(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "Political Officer",
        "field_operation": world["operation"].slug,
        "appointment": "seconded",
        "grade": "S2",
        "field_of_expertise": "rule-of-law",
        "dimension": "human",
        "posts": "1",
        "notice_language": "en",
        "languages": "en",
        "deadline": _deadline(),
    }


def _vacancy_json(world: dict[str, Any]) -> dict[str, Any]:
    return {**_vacancy_form(world), "posts": 1, "languages": ["en"]}


def _project_form(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "Border management training",
        "field_operation": world["operation"].slug,
        "dimension": "human",
        "budget_eur": "250000",
        "status": "submitted",
    }


def _candidate(world: dict[str, Any]) -> dict[str, Any]:
    """A national of the actor's own State (or Partner): the door is what is tested, not the rule."""
    return {
        "given_name": "Nina",
        "family_name": "Door",
        "email": "nina.door@example.org",
        "nationality": world["nationality"],
        "gender": "female",
    }


def _admin_action(model: str, action: str, pk: int) -> Callable[[Client, dict[str, Any]], Any]:
    def run(client: Client, world: dict[str, Any]) -> Any:
        return client.post(
            f"/admin/{model}/",
            {"action": action, "_selected_action": [str(pk)], "index": "0"},
        )

    return run


def _election_form(world: dict[str, Any]) -> dict[str, Any]:
    return {"state": "BA", "kind": "local", "date": _deadline(40), "round": "1", "note": ""}


def _activity_form(**extra: str) -> dict[str, str]:
    return {
        "head": "Ambassador Door",
        "opened": _deadline(18),
        "core_team_size": "12",
        "lto_requested": "30",
        "sto_requested": "300",
        **extra,
    }


def _report(world: dict[str, Any]) -> dict[str, Any]:
    pdf = SimpleUploadedFile("report.pdf", make_pdf(), content_type="application/pdf")
    return {"kind": "interim", "title": "Interim report", "published": _deadline(0), "file": pdf}


def _assessment(world: dict[str, Any]) -> dict[str, str]:
    return {"status": "partially", "assessed_on": _deadline(100), "assessed": _deadline(100), "note": ""}


ODIHR_ONLY = everyone(FORBIDDEN, olga=DONE)

ELECTION_ACTIONS: list[Action] = [
    Action(
        "election create",
        ODIHR_ONLY,
        page=lambda c, w: c.post("/elections/new/", _election_form(w)),
        api=lambda c, w: c.post(
            "/api/v1/elections/", {"state": "BA", "kind": "local", "date": _deadline(40)}
        ),
    ),
    Action(
        "election edit",
        ODIHR_ONLY,
        page=lambda c, w: c.post(
            f"/elections/{w['election'].pk}/edit/",
            {
                **_election_form(w),
                "kind": "parliamentary",
                "date": w["election"].date.isoformat(),
                "note": "x",
            },
        ),
        api=lambda c, w: c.patch(f"/api/v1/elections/{w['election'].pk}/", {"note": "x"}, format="json"),
    ),
    Action(
        "observation activity create (a NAM)",
        ODIHR_ONLY,
        page=lambda c, w: c.post(
            f"/elections/{w['election'].pk}/activities/new/",
            _activity_form(kind="NAM", opened=_deadline(5), lto_requested="0", sto_requested="0"),
        ),
        api=lambda c, w: c.post(
            "/api/v1/observation-activities/",
            {"election": w["election"].pk, "kind": "NAM", "opened": _deadline(5)},
            format="json",
        ),
    ),
    Action(
        "observation activity edit",
        ODIHR_ONLY,
        page=lambda c, w: c.post(
            f"/elections/activities/{w['eom'].pk}/edit/", _activity_form(head="New head")
        ),
        api=lambda c, w: c.patch(
            f"/api/v1/observation-activities/{w['eom'].pk}/", {"head": "New head"}, format="json"
        ),
    ),
    Action(
        "report publish (a PDF)",
        ODIHR_ONLY,
        page=lambda c, w: c.post(f"/elections/activities/{w['eom'].pk}/reports/new/", _report(w)),
        api=lambda c, w: c.post(
            f"/api/v1/observation-activities/{w['eom'].pk}/reports/", _report(w), format="multipart"
        ),
    ),
    Action(
        "recommendation add",
        ODIHR_ONLY,
        page=lambda c, w: c.post(
            f"/elections/activities/{w['eom'].pk}/recommendations/new/", {"text": "Publish results."}
        ),
        api=lambda c, w: c.post(
            "/api/v1/recommendations/", {"activity": w["eom"].pk, "text": "Publish results."}, format="json"
        ),
    ),
    Action(
        "recommendation edit",
        ODIHR_ONLY,
        page=lambda c, w: c.post(
            f"/elections/recommendations/{w['recommendation'].pk}/edit/", {"number": "1", "text": "Better."}
        ),
        api=lambda c, w: c.patch(
            f"/api/v1/recommendations/{w['recommendation'].pk}/", {"text": "Better."}, format="json"
        ),
    ),
    Action(
        "recommendation assess",
        ODIHR_ONLY,
        page=lambda c, w: c.post(
            f"/elections/recommendations/{w['recommendation'].pk}/assess/", _assessment(w)
        ),
        api=lambda c, w: c.post(
            f"/api/v1/recommendations/{w['recommendation'].pk}/assessments/", _assessment(w), format="json"
        ),
    ),
    Action(
        # A Partner's focal point offers no observers (403); HR and ODIHR read offers, make none.
        "observer offer",
        everyone(FORBIDDEN, bob=DONE, carol=DONE),
        page=lambda c, w: c.post(f"/elections/activities/{w['eom'].pk}/offer/", {"lto": "1", "sto": "2"}),
        api=lambda c, w: c.post(
            f"/api/v1/observation-activities/{w['eom'].pk}/observer-offers/",
            {"lto": 1, "sto": 2},
            format="json",
        ),
    ),
    Action(
        "observer offer change (own State's)",
        everyone(FORBIDDEN, bob=DONE, carol=NOT_FOUND),
        page=lambda c, w: c.post(
            f"/elections/offers/{w['offer'].pk}/edit/", {"lto": "2", "sto": "12", "note": "", "observers": ""}
        ),
        api=lambda c, w: c.patch(f"/api/v1/observer-offers/{w['offer'].pk}/", {"sto": 12}, format="json"),
    ),
    Action(
        "observer offer withdraw (own State's)",
        everyone(FORBIDDEN, bob=DONE, carol=NOT_FOUND),
        page=lambda c, w: c.post(f"/elections/offers/{w['offer'].pk}/withdraw/"),
        api=lambda c, w: c.delete(f"/api/v1/observer-offers/{w['offer'].pk}/"),
    ),
]

ACTIONS: list[Action] = [
    Action(
        "vacancy create",
        everyone(FORBIDDEN, alice=DONE),
        page=lambda c, w: c.post("/vacancies/new/", _vacancy_form(w)),
        api=lambda c, w: c.post("/api/v1/vacancies/", _vacancy_json(w), format="json"),
    ),
    Action(
        "vacancy edit",
        everyone(FORBIDDEN, alice=DONE),
        page=lambda c, w: c.post(
            f"/vacancies/{w['open'].reference}/edit/",
            {**_vacancy_form(w), "title": "New", "deadline": w["open"].deadline.isoformat()},
        ),
        api=lambda c, w: c.patch(
            f"/api/v1/vacancies/{w['open'].reference}/", {"title": "New"}, format="json"
        ),
    ),
    Action(
        "vacancy publish (a draft)",
        everyone(NOT_FOUND, alice=DONE),
        page=lambda c, w: c.post(f"/vacancies/{w['draft'].reference}/publish/"),
        api=lambda c, w: c.post(f"/api/v1/vacancies/{w['draft'].reference}/publish/"),
        admin=lambda c, w: _admin_action("secondments/vacancy", "publish", w["draft"].pk)(c, w),
    ),
    Action(
        "vacancy close",
        everyone(FORBIDDEN, alice=DONE),
        page=lambda c, w: c.post(f"/vacancies/{w['open'].reference}/close/"),
        api=lambda c, w: c.post(f"/api/v1/vacancies/{w['open'].reference}/close/"),
        admin=lambda c, w: _admin_action("secondments/vacancy", "close", w["open"].pk)(c, w),
    ),
    Action(
        "vacancy extend",
        everyone(FORBIDDEN, alice=DONE),
        page=lambda c, w: c.post(f"/vacancies/{w['open'].reference}/extend/", {"deadline": _deadline(60)}),
        api=lambda c, w: c.post(
            f"/api/v1/vacancies/{w['open'].reference}/extend/", {"deadline": _deadline(60)}, format="json"
        ),
    ),
    Action(
        "vacancy cancel (a draft)",
        everyone(NOT_FOUND, alice=DONE),
        page=lambda c, w: c.post(f"/vacancies/{w['draft'].reference}/cancel/"),
        api=lambda c, w: c.post(f"/api/v1/vacancies/{w['draft'].reference}/cancel/"),
    ),
    Action(
        # A Partner's focal point is refused with a reason: the post is not open to Partners (400).
        "nominate",
        everyone(FORBIDDEN, bob=DONE, carol=DONE, erin=INVALID),
        page=lambda c, w: c.post(
            f"/vacancies/{w['open'].reference}/nominate/", {**_candidate(w), "motivation": "Yes."}
        ),
        api=lambda c, w: c.post(
            f"/api/v1/vacancies/{w['open'].reference}/nominations/",
            {"candidate": _candidate(w)},
            format="json",
        ),
    ),
    Action(
        "nomination update (own State's)",
        everyone(FORBIDDEN, bob=DONE, carol=NOT_FOUND, erin=NOT_FOUND),
        page=lambda c, w: c.post(f"/nominations/{w['pending'].pk}/update/", {"motivation": "Updated."}),
        api=lambda c, w: c.patch(
            f"/api/v1/nominations/{w['pending'].pk}/", {"motivation": "Updated."}, format="json"
        ),
    ),
    Action(
        "nomination withdraw (own State's)",
        everyone(FORBIDDEN, bob=DONE, carol=NOT_FOUND, erin=NOT_FOUND),
        page=lambda c, w: c.post(f"/nominations/{w['pending'].pk}/withdraw/"),
        api=lambda c, w: c.post(f"/api/v1/nominations/{w['pending'].pk}/withdraw/"),
    ),
    Action(
        "nomination decide (nominations closed)",
        everyone(FORBIDDEN, alice=DONE, carol=NOT_FOUND, erin=NOT_FOUND),
        page=lambda c, w: c.post(
            f"/nominations/{w['closed_nomination'].pk}/decide/", {"status": "shortlisted"}
        ),
        api=lambda c, w: c.patch(
            f"/api/v1/nominations/{w['closed_nomination'].pk}/", {"status": "shortlisted"}, format="json"
        ),
    ),
    Action(
        "secondment renew",
        everyone(FORBIDDEN, alice=DONE, carol=NOT_FOUND, erin=NOT_FOUND),
        page=lambda c, w: c.post(f"/secondments/{w['secondment'].pk}/renew/"),
        api=lambda c, w: c.post(f"/api/v1/secondments/{w['secondment'].pk}/renew/"),
    ),
    Action(
        "pledge (a State's funds)",
        everyone(FORBIDDEN, bob=DONE, carol=DONE),
        page=lambda c, w: c.post(f"/projects/{w['project'].pk}/pledge/", {"amount_eur": "1000"}),
        api=lambda c, w: c.post(
            f"/api/v1/projects/{w['project'].pk}/pledges/", {"amount_eur": "1000"}, format="json"
        ),
    ),
    Action(
        "pledge receipt",
        everyone(FORBIDDEN, alice=DONE),
        page=lambda c, w: c.post(
            f"/projects/{w['project'].pk}/pledges/{w['pledge'].pk}/receipt/",
            {"received": timezone.localdate().isoformat()},
        ),
        admin=lambda c, w: _admin_action("missions/pledge", "record_receipt_today", w["pledge"].pk)(c, w),
    ),
    Action(
        "figures record",
        everyone(FORBIDDEN, alice=DONE),
        page=lambda c, w: c.post(
            f"/missions/{w['operation'].slug}/figures/",
            {
                "as_of": timezone.localdate().isoformat(),
                "international_seconded": "10",
                "international_contracted": "5",
                "local_staff": "40",
            },
        ),
    ),
    Action(
        "project create",
        everyone(FORBIDDEN, alice=DONE),
        page=lambda c, w: c.post("/projects/new/", _project_form(w)),
    ),
    Action(
        "project edit",
        everyone(FORBIDDEN, alice=DONE),
        page=lambda c, w: c.post(f"/projects/{w['project'].pk}/edit/", _project_form(w)),
    ),
    Action(
        "delegation edit (Austria's)",
        everyone(FORBIDDEN, bob=DONE, carol=NOT_FOUND),
        page=lambda c, w: c.post(
            "/states/AT/delegation/", {"head_name": "Door Ambassador", "head_title": "", "address": "Wien"}
        ),
    ),
    Action(
        "delegation members (Austria's): one added, following a body",
        everyone(FORBIDDEN, bob=DONE, carol=NOT_FOUND),
        page=lambda c, w: c.post(
            "/states/AT/delegation/",
            {
                "head_name": "",
                "head_title": "",
                "address": "",
                "members-TOTAL_FORMS": "1",
                "members-INITIAL_FORMS": "0",
                "members-0-name": "Door Counsellor",
                "members-0-bodies": ["permanent-council"],
            },
        ),
    ),
    Action(
        "person merge",
        everyone(FORBIDDEN, alice=DONE),
        page=lambda c, w: c.post(
            f"/secondments/persons/{w['secondment'].person_id}/merge/", {"email": "second.record@example.org"}
        ),
    ),
    Action(
        # A user's own language of e-mails: everybody logged in sets their own.
        "preference update (own)",
        everyone(DONE),
        page=lambda c, w: c.post("/accounts/me/preferences/", {"language": "fr"}),
    ),
    *ELECTION_ACTIONS,
]


@pytest.fixture(autouse=True)
def _private_files(private_files: Any) -> None:
    """Uploaded PDFs (reports) go to a temporary folder, not the checkout's var/."""


@pytest.fixture
def world(alice: Any, olga: Any, bob: Any, carol: Any, dave: Any, erin: Any, staff: Any) -> dict[str, Any]:
    """A draft; an open vacancy with Austria's pending nomination; a vacancy whose nominations are
    closed, with Austria's submitted nomination; a selected Austrian candidate's secondment (a second
    person record of the same person, by another e-mail); a project with Austria's pledge; an
    election with its EOM, Austria's offer of observers and a recommendation of the final report."""
    from missions import services as missions_services

    at = State.objects.get(code="AT")
    bosnia = State.objects.get_or_create(
        code="BA",
        defaults={
            "name": "Bosnia and Herzegovina",
            "iso_alpha3": "BIH",
            "joined": datetime.date(1992, 4, 30),
        },
    )[0]
    operation = FieldOperationFactory(host_state=bosnia)
    dimension = DimensionFactory()
    data = {
        "title": "Rule of Law Officer",
        "field_of_expertise": FieldOfExpertiseFactory(),
        "field_operation": operation,
        "grade": "S2",
        "dimension": dimension,
        "deadline": timezone.localdate() + datetime.timedelta(days=20),
    }

    def vacancy(publish: bool = True) -> Vacancy:
        made = services.vacancy_create(actor=alice, **data)
        return services.vacancy_publish(actor=alice, vacancy=made) if publish else made

    def nominate(target: Vacancy, email: str) -> Nomination:
        return services.nomination_submit(
            actor=bob,
            vacancy=target,
            given_name="Anna",
            family_name="Huber",
            email=email,
            nationality=at,
            gender="female",
        )

    draft = vacancy(publish=False)
    open_vacancy = vacancy()
    pending = nominate(open_vacancy, "pending@example.org")
    closed = vacancy()
    closed_nomination = nominate(closed, "closed@example.org")
    filled = vacancy()
    chosen = nominate(filled, "chosen@example.org")
    second_record = nominate(vacancy(), "second.record@example.org")
    for target in (closed, filled, second_record.vacancy):
        services.vacancy_close(actor=alice, vacancy=target)
    for nomination in (chosen, second_record):
        services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
        services.nomination_decide(
            actor=alice,
            nomination=nomination,
            status="selected",
            start=timezone.localdate() - datetime.timedelta(days=30),
        )
    project = Project.objects.create(
        title="Border security training",
        field_operation=operation,
        dimension=Dimension.objects.get(slug=dimension.slug),
        budget_eur=100000,
        status=Project.Status.APPROVED,
    )
    pledge = missions_services.pledge_create(actor=bob, project=project, amount_eur="5000")
    Delegation.objects.get_or_create(state=State.objects.get(code="AT"))  # Austria's permanent mission
    Body.objects.get_or_create(
        slug="permanent-council", defaults={"name": "Permanent Council", "kind": "decision-making"}
    )
    # Election observation: an election in Bosnia and Herzegovina with its EOM (offers open),
    # Austria's offer, the EOM's final report and one recommendation.
    election = elections_services.election_create(
        actor=olga,
        state=bosnia,
        kind="parliamentary",
        date=timezone.localdate() + datetime.timedelta(days=60),
    )
    eom = elections_services.activity_create(
        actor=olga,
        election=election,
        kind="EOM",
        opened=timezone.localdate() + datetime.timedelta(days=18),
        lto_requested=30,
        sto_requested=300,
    )
    offer = elections_services.observer_offer_create(actor=bob, activity=eom, lto=2, sto=10)
    final = elections_services.report_add(
        actor=olga,
        activity=eom,
        kind="final",
        published=timezone.localdate(),
        title="Final report",
        link="https://www.osce.org/odihr/elections/example",
    )
    recommendation = elections_services.recommendation_add(actor=olga, report=final, text="Reform.")
    return {
        "election": election,
        "eom": eom,
        "offer": offer,
        "recommendation": recommendation,
        "operation": operation,
        "draft": draft,
        "open": open_vacancy,
        "pending": pending,
        "closed_nomination": closed_nomination,
        "secondment": Secondment.objects.get(nomination=chosen),
        "project": project,
        "pledge": pledge,
    }


def _nationality(who: str) -> str:
    return {"carol": "DE", "erin": "JP"}.get(who, "AT")


def _clients(request: Any, who: str) -> tuple[Client, APIClient, Any]:
    page, api = Client(), APIClient()
    if who == "anonymous":
        return page, api, None
    user = request.getfixturevalue(who)
    page.force_login(user)
    _token, raw = token_create(user=user, name="doors")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return page, api, user


def _run(door: str, action: Action, clients: tuple[Client, APIClient, Any], world: dict[str, Any]) -> str:
    page, api, user = clients
    with transaction.atomic():
        if door == "page":
            decision = page_decision(action.page(page, world))  # type: ignore[misc]
        elif door == "api":
            decision = api_decision(action.api(api, world))  # type: ignore[misc]
        else:
            if user is not None:  # the admin needs a staff member: the same person, made staff
                get_user_model().objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            decision = admin_decision(action.admin(page, world))  # type: ignore[misc]
        transaction.set_rollback(True)
    return decision


@pytest.mark.parametrize(
    ("action", "who"),
    [pytest.param(action, who, id=f"{action.name} | {who}") for action in ACTIONS for who in CAST],
)
def test_every_door_gives_the_same_decision(
    request: Any, world: dict[str, Any], action: Action, who: str
) -> None:
    world = {**world, "nationality": _nationality(who)}
    clients = _clients(request, who)
    decisions = {door: _run(door, action, clients, world) for door in action.doors}
    expected = action.expected[who]
    for door, decision in decisions.items():
        if door == "admin" and who != "anonymous":
            assert decision == (DONE if expected == DONE else "refused"), (door, decisions)
        else:
            assert decision == expected, (door, decisions)


WRITTEN = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"(\w+)"', re.IGNORECASE)


@pytest.mark.parametrize("action", [pytest.param(action, id=action.name) for action in ACTIONS])
def test_every_write_moves_the_version_of_every_table_it_writes(
    request: Any, world: dict[str, Any], action: Action
) -> None:
    """Each write, done by someone allowed through its first door, gives every versioned table it
    writes a new version in its own transaction (the API's ETags and the reference caches follow)."""
    who = next(who for who in CAST if action.expected[who] == DONE)
    world = {**world, "nationality": _nationality(who)}
    page, api, _user = _clients(request, who)
    door = action.doors[0]
    with transaction.atomic():
        before = read_versions()
        with CaptureQueriesContext(connection) as queries:
            response = action.page(page, world) if door == "page" else action.api(api, world)  # type: ignore[misc]
        after = read_versions()
        transaction.set_rollback(True)
    assert (page_decision if door == "page" else api_decision)(response) == DONE
    written = {m.group(1) for query in queries.captured_queries if (m := WRITTEN.match(query["sql"]))}
    written &= set(versioned_tables())
    assert written, "the write wrote no versioned table"
    assert {table for table in written if after.get(table, 0) == before.get(table, 0)} == set()


def test_every_write_door_of_the_url_configuration_is_in_the_table() -> None:
    """A new write page or API action must join the table above (or this list, with its reason)."""
    from django.urls import get_resolver

    covered = {
        "secondments:create", "secondments:edit", "secondments:publish", "secondments:close",
        "secondments:extend", "secondments:cancel", "secondments:nominate", "secondments:nomination-update",
        "secondments:nomination-withdraw", "secondments:nomination-decide", "secondments:secondment-renew",
        "secondments:person-merge", "missions:pledge-create", "missions:pledge-receipt",
        "missions:figures-create", "missions:project-create", "missions:project-edit",
        "states:delegation-edit",
        "elections:create", "elections:edit", "elections:activity-create", "elections:activity-edit",
        "elections:report-create", "elections:recommendation-create", "elections:recommendation-edit",
        "elections:recommendation-assess", "elections:offer-create", "elections:offer-edit",
        "elections:offer-withdraw", "accounts:preference-update",
    }  # fmt: skip
    own_account = {
        # A user's own settings: tokens, calendar addresses, saved searches (no other user's to reach).
        "accounts:token-create", "accounts:token-revoke", "accounts:password",
        "secondments:calendar-tokens", "secondments:searches",
    }  # fmt: skip
    not_writes = {
        "accounts:login", "accounts:logout", "set_language",
        "elections:offers", "elections:report-file",  # the list of offers; a report's PDF
    }  # fmt: skip
    names: set[str] = set()

    def walk(patterns: Any, prefix: str = "") -> None:
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns)
    page_names = {name for name in names if not name.startswith(("api:", "admin:"))}
    writers = {
        name
        for name in page_names
        if any(
            word in name
            for word in (
                "create",
                "edit",
                "publish",
                "close",
                "extend",
                "cancel",
                "nominate",
                "update",
                "withdraw",
                "decide",
                "renew",
                "merge",
                "pledge",
                "receipt",
                "revoke",
                "offer",
                "assess",
                "report",
                "delete",
            )
        )
    }
    assert writers - covered - own_account - not_writes == set()
