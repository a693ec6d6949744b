"""A diplomat browses field operations in a real browser: list → filter by region → detail → back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def page() -> Iterator:  # type: ignore[type-arg]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context()
        yield context.new_page()
        context.close()
        browser.close()


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


def test_filter_form_works_without_javascript(transactional_db, live_server, reference_loaded) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{live_server.url}/missions/")
        page.get_by_label("Region").select_option("baltic")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**/missions/?**region=baltic**")
        assert page.locator(".result-count").get_attribute("data-count") == "2"
        context.close()
        browser.close()
