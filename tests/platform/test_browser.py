"""The page frame in a real browser: keyboard skip link and no WCAG A/AA violations (axe)."""

from __future__ import annotations

import pytest

from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_and_login_have_no_accessibility_violations(page) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/accounts/login/"):
        page.goto(path)
        violations = axe_violations(page)
        assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switcher_works_from_the_keyboard(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    page.select_option("#language-select", "fr")
    page.click("text=Change")
    assert page.evaluate("document.documentElement.lang") == "fr"
