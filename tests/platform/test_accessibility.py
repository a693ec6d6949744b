"""Every kind of page, in a real browser, has no WCAG 2 A/AA violation that axe-core finds.

A regression net across the apps: lists, details, forms, the HR and focal-point pages.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from secondments.models import Nomination
from tests.conftest import axe_violations
from tests.elections.factories import ActivityFactory, RecommendationFactory, ReportFactory
from tests.missions.factories import ProjectFactory
from tests.secondments.factories import NominationFactory, VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def portal(alice: Any, bob: Any) -> dict[str, Any]:
    call_command("load_reference_data", stdout=StringIO())
    from missions.models import FieldOperation
    from states.models import Dimension

    operation = FieldOperation.objects.get(slug="mission-to-bosnia-and-herzegovina")
    dimension = Dimension.objects.get(slug="human")
    vacancy = VacancyFactory(field_operation=operation, dimension=dimension)
    nomination = NominationFactory(vacancy=vacancy, status=Nomination.Status.SUBMITTED)
    project = ProjectFactory(field_operation=operation, dimension=dimension)
    activity = ActivityFactory()
    RecommendationFactory(report=ReportFactory(activity=activity, kind="final"))
    return {
        "operation": operation,
        "vacancy": vacancy,
        "nomination": nomination,
        "project": project,
        "election": activity.election,
    }


def _login(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def _check(page: Any, paths: list[str]) -> None:
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status < 400, (path, response and response.status)
        violations = axe_violations(page)
        if violations:
            problems[path] = [(v["id"], v["help"], len(v["nodes"])) for v in violations]
    assert problems == {}


def test_public_pages(page: Any, portal: dict[str, Any]) -> None:
    _check(
        page,
        [
            "/",
            "/states/",
            "/states/AT/",
            "/dimensions/",
            "/missions/",
            f"/missions/{portal['operation'].slug}/",
            "/projects/",
            f"/projects/{portal['project'].pk}/",
            "/vacancies/",
            f"/vacancies/{portal['vacancy'].reference}/",
            "/elections/",
            "/elections/?view=calendar",
            f"/elections/{portal['election'].pk}/",
        ],
    )


def test_hr_pages(page: Any, portal: dict[str, Any]) -> None:
    _login(page, "alice")
    reference = portal["vacancy"].reference
    _check(
        page,
        [
            "/vacancies/new/",
            f"/vacancies/{reference}/edit/",
            "/vacancies/dashboard/",
            "/vacancies/statistics/",
            "/nominations/",
            f"/nominations/{portal['nomination'].pk}/",
            "/secondments/",
            "/accounts/me/",
        ],
    )


def test_focal_point_pages(page: Any, portal: dict[str, Any]) -> None:
    _login(page, "bob")
    _check(
        page,
        [
            f"/vacancies/{portal['vacancy'].reference}/nominate/",
            "/nominations/",
            "/elections/offers/",
        ],
    )
