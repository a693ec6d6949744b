"""Fuzz the whole API against its own OpenAPI schema: no client input may produce a 5xx.

Every operation of /api/v1/schema/ (GETs and writes) is exercised with generated input, anonymously
and with a token of each role: HR, ODIHR, the focal point of a State (Austria) and the focal point
of a Partner (Japan). Every answer must be below 500 and match the schema: its status code is one
the operation documents, its content type and its body are the documented ones. Derandomized, so
a run is reproducible. Grows by itself as apps add endpoints.

Each test starts from a small seeded world (``world``): an open vacancy and a draft, nominations
of Austria, Germany and Japan, a secondment, an election with an EOM whose offers are open and
offers of Austria and Germany, a recommendation, a project, the caller's own webhook. Half of the
generated addresses are pointed at those objects (``aim``), so writes reach the services' real
code (publish, nominate, offer, pledge, renew...) and answers carry real bodies, not only 404s.

Time: anonymous and HR run every phase (explicit examples, coverage, 25 fuzzed cases); the three
other roles run the explicit examples and a few fuzzed cases without the coverage phase nor
shrinking. The runs are split into two xdist groups of about equal weight (``GROUPS``), so
``-n 2 --dist loadgroup`` spreads them over both workers.
"""

from __future__ import annotations

import datetime
import socket
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from osce_portal.wsgi import application

SCHEMA_PATH = "/api/v1/schema/?format=json"
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application)
# The same schema without the coverage phase (hundreds of boundary cases per write operation):
# the roles beyond anonymous and HR get the schema's examples and a few fuzzed cases each.
NO_COVERAGE = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
light_schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application, config=NO_COVERAGE)

HEALTH = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture]
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=HEALTH, derandomize=True)
LIGHT_FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=HEALTH,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Two groups of about equal weight (HR's run is the heaviest: its writes get past the policies).
GROUPS = {
    "hr": "schema-fuzz-1",
    "partner_focal_point": "schema-fuzz-1",
    "anonymous": "schema-fuzz-2",
    "odihr": "schema-fuzz-2",
    "state_focal_point": "schema-fuzz-2",
}


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """Requests go through the real WSGI handler, whose signals would close the test's connection
    (and with it the test transaction); Django's own test client detaches them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated webhook URLs carry random host names: answer for them without asking DNS."""
    from webhooks import services

    monkeypatch.setattr(services, "_resolve", lambda host, port: [(socket.AF_INET, ("192.0.2.10", port))])


@pytest.fixture(autouse=True)
def _private_files(private_files: Path) -> None:
    """CVs and report PDFs sent by the fuzzer go to the test's temporary folder."""


def _bearer(user: Any) -> dict[str, str]:
    from accounts.services import token_create

    _token, raw = token_create(user=user, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The seeded world, built once per module and worker inside a transaction that is rolled back
    at the end; each test runs in a savepoint within it (pytest-django's own), so what a test
    writes is undone and the next one starts from the same world."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class World:
    """The seeded objects (``keys``: by the address prefix that names one, such as
    ``/api/v1/vacancies/{reference}``) and each role's headers (a bearer token; none anonymous)."""

    def __init__(self, keys: dict[str, list[Any]], headers: dict[str, dict[str, str]]) -> None:
        self.keys = keys
        self.headers = headers


def _seed() -> World:
    from elections.models import ObservationActivity
    from secondments import services as secondments
    from secondments.models import Nomination
    from states.models import Partner
    from tests.conftest import _user, make_state
    from tests.elections.factories import (
        ActivityFactory,
        ElectionFactory,
        OfferFactory,
        RecommendationFactory,
    )
    from tests.missions.factories import ProjectFactory
    from tests.secondments.factories import DimensionFactory, FieldOfExpertiseFactory, FieldOperationFactory
    from webhooks.models import Webhook

    today = timezone.localdate()
    austria = make_state("AT", "Austria", iso_alpha3="AUT")
    germany = make_state("DE", "Germany", iso_alpha3="DEU")
    georgia = make_state("GE", "Georgia", iso_alpha3="GEO")
    japan, _ = Partner.objects.get_or_create(
        code="JP", defaults={"name": "Japan", "group": Partner.Group.ASIAN, "since": 1992}
    )
    users = {
        "hr": _user("alice", "hr"),
        "odihr": _user("olga", "odihr"),
        "state_focal_point": _user("bob", "focal-point", "AT"),
        "partner_focal_point": _user("erin", "focal-point", partner="JP"),
    }
    alice, bob, erin = users["hr"], users["state_focal_point"], users["partner_focal_point"]
    carol = _user("carol", "focal-point", "DE")

    operation = FieldOperationFactory(host_state=make_state("BA", "Bosnia and Herzegovina", iso_alpha3="BIH"))
    data = {
        "title": "Rule of Law Officer",
        "field_operation": operation,
        "duty_station": "Sarajevo",
        "appointment": "seconded",
        "grade": "S2",
        "field_of_expertise": FieldOfExpertiseFactory(),
        "dimension": DimensionFactory(),
        "posts": 1,
        "notice_language": "en",
        "description": "The Mission supports the judiciary.",
        "requirements": "A law degree.",
        "languages": ["en"],
        "deadline": today + datetime.timedelta(days=20),
        "open_to_partners": True,
    }
    open_vacancy = secondments.vacancy_publish(
        actor=alice, vacancy=secondments.vacancy_create(actor=alice, **data)
    )
    draft = secondments.vacancy_create(actor=alice, **{**data, "title": "Legal Adviser"})
    filled = secondments.vacancy_publish(
        actor=alice, vacancy=secondments.vacancy_create(actor=alice, **{**data, "title": "Judge"})
    )

    def nominate(actor: Any, vacancy: Any, nationality: Any, name: str) -> Nomination:
        return secondments.nomination_submit(
            actor=actor,
            vacancy=vacancy,
            given_name="Anna",
            family_name=name,
            email=f"{name.lower()}@example.org",
            nationality=nationality,
            gender="female",
        )

    own = nominate(bob, open_vacancy, austria, "Huber")
    other = nominate(carol, open_vacancy, germany, "Schmidt")
    partner = nominate(erin, open_vacancy, japan, "Tanaka")
    selected = nominate(bob, filled, austria, "Gruber")
    secondments.vacancy_close(actor=alice, vacancy=filled)
    for status in ("shortlisted", "selected"):
        selected = secondments.nomination_decide(actor=alice, nomination=selected, status=status)

    election = ElectionFactory(state=georgia, date=today + datetime.timedelta(days=60))
    eom: ObservationActivity = ActivityFactory(election=election, opened=today + datetime.timedelta(days=18))
    offers = [OfferFactory(activity=eom, state=state) for state in (austria, germany)]
    recommendation = RecommendationFactory()
    project = ProjectFactory(field_operation=operation)
    keys: dict[str, list[Any]] = {
        "/api/v1/vacancies/{reference}": [open_vacancy.reference, draft.reference, filled.reference],
        "/api/v1/nominations/{id}": [own.pk, other.pk, partner.pk, selected.pk],
        "/api/v1/secondments/{id}": [selected.secondment.pk],
        "/api/v1/elections/{id}": [election.pk, recommendation.report.activity.election_id],
        "/api/v1/observation-activities/{id}": [eom.pk, recommendation.report.activity_id],
        "/api/v1/observer-offers/{id}": [offer.pk for offer in offers],
        "/api/v1/recommendations/{id}": [recommendation.pk],
        "/api/v1/projects/{id}": [project.pk],
        "/api/v1/field-operations/{slug}": [operation.slug],
        "/api/v1/states/{code}": ["AT", "GE"],
        "/api/v1/partners/{code}": ["JP"],
        "/api/v1/delegations/{state}": ["AT"],
        # Each role's own webhook, and another's (404).
        "/api/v1/webhooks/{id}": [
            Webhook.objects.create(
                user=user, target="https://hooks.example.org/", events=["vacancy.published"], secret="s" * 9
            ).pk
            for user in users.values()
        ],
    }
    return World(keys, {"anonymous": {}} | {role: _bearer(user) for role, user in users.items()})


def aim(case: schemathesis.Case, keys: dict[str, list[Any]]) -> None:
    """Point about half of the generated addresses at a seeded object (chosen by the generated
    value, so a run stays reproducible); the rest keep what was generated (mostly a 404).

    Coverage-phase cases keep theirs: they probe the parameter's own boundaries."""
    meta = getattr(case, "_meta", None)
    if meta is not None and str(getattr(meta.phase, "name", "")) == "coverage":
        return
    path = case.operation.path
    for name, value in list((case.path_parameters or {}).items()):
        prefix = path[: path.index("{" + name + "}") + len(name) + 2]
        seeded = keys.get(prefix)
        if not seeded:
            continue
        pick = zlib.crc32(repr(value).encode()) % (2 * len(seeded))
        if pick < len(seeded):
            case.path_parameters = {**case.path_parameters, name: str(seeded[pick])}


def _call(case: schemathesis.Case, world: World, role: str) -> None:
    aim(case, world.keys)
    response = case.call(headers=world.headers[role])
    case.validate_response(response, checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.xdist_group(GROUPS["anonymous"])
@schema.parametrize()
@FUZZ
def test_no_server_error_anonymous(case: schemathesis.Case, world: World) -> None:
    _call(case, world, "anonymous")


@pytest.mark.django_db
@pytest.mark.xdist_group(GROUPS["hr"])
@schema.parametrize()
@FUZZ
def test_no_server_error_as_hr(case: schemathesis.Case, world: World) -> None:
    _call(case, world, "hr")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [
        pytest.param(role, marks=pytest.mark.xdist_group(GROUPS[role]), id=role)
        for role in ("odihr", "state_focal_point", "partner_focal_point")
    ],
)
@light_schema.parametrize()
@LIGHT_FUZZ
def test_no_server_error_as_role(case: schemathesis.Case, world: World, role: str) -> None:
    _call(case, world, role)
