"""A diplomat browses field operations in a real browser: list → filter by region → detail → back.

Uses the shared ``page`` fixture (Debian's Chromium through Playwright; skipped only when Chromium is
absent) and checks the pages with axe-core for WCAG 2 A/AA violations.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest

from tests.conftest import axe_violations
from tests.missions.factories import FiguresFactory, PledgeFactory, ProjectFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser


def test_list_filter_detail_and_back(transactional_db, live_server, reference_loaded, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/missions/")
    assert page.locator("h1").inner_text() == "Field operations"
    assert page.get_by_role("heading", name="Central Asia").is_visible()

    # Choosing a region updates the results in place (the script) and keeps the filter in the address.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Region").select_option("central-asia")
    page.wait_for_url("**/missions/?region=central-asia")
    page.locator(".result-count[data-count='13']").wait_for()
    assert page.get_by_role("heading", name="Central Asia").is_visible()
    assert page.get_by_role("heading", name="Baltic States").count() == 0
    assert page.evaluate("window.stillTheSamePage") is True  # swapped in place, no reload

    page.get_by_role("link", name="Programme Office in Astana").click()
    page.wait_for_url("**/missions/programme-office-in-astana/")
    assert page.locator("h1").inner_text() == "Programme Office in Astana"
    assert page.get_by_role("link", name="Centre in Almaty").is_visible()

    page.go_back()
    page.wait_for_url("**/missions/?region=central-asia")
    assert page.get_by_label("Region").input_value() == "central-asia"
    page.locator(".result-count[data-count='13']").wait_for()
    assert page.get_by_role("heading", name="Baltic States").count() == 0


def test_filter_form_works_without_javascript(transactional_db, live_server, reference_loaded, page) -> None:  # type: ignore[no-untyped-def]
    context = page.context.browser.new_context(java_script_enabled=False)
    try:
        nojs = context.new_page()
        nojs.goto(f"{live_server.url}/missions/")
        nojs.get_by_label("Region").select_option("baltic")
        nojs.get_by_role("button", name="Filter").click()
        nojs.wait_for_url("**/missions/?**region=baltic**")
        assert nojs.locator(".result-count").get_attribute("data-count") == "2"
    finally:
        context.close()


def test_pages_have_no_accessibility_violations(
    transactional_db, live_server, reference_loaded, page
) -> None:  # type: ignore[no-untyped-def]
    from missions.models import FieldOperation

    operation = FieldOperation.objects.get(slug="programme-office-in-astana")
    for year in (2022, 2023, 2024):
        FiguresFactory(operation=operation, as_of=datetime.date(year, 1, 1), local_staff=20 + year - 2022)
    project = ProjectFactory(field_operation=operation, budget_eur=Decimal("50000"))
    PledgeFactory(project=project, state=operation.host_state)
    for path in ("/missions/", f"/missions/{operation.slug}/", "/projects/", f"/projects/{project.pk}/"):
        page.goto(f"{live_server.url}{path}")
        violations = axe_violations(page)
        assert violations == [], (path, [(v["id"], v["help"]) for v in violations])
