"""A real browser: an ODIHR officer records an election and its EOM; after the deployment started
(the STO window still open) Austria's focal point offers short-term observers; ODIHR sees the gap
shrink. Keyboard and forms only, no script needed by the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import axe_violations
from tests.platform.pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def _missing_stos(page: Any) -> str:
    row = page.locator("table", has_text="Observers requested and offered").locator(
        "tr", has_text="Short-term"
    )
    return row.locator("td").nth(2).inner_text().strip()


def test_odihr_sees_the_gap_shrink_when_a_state_offers_stos(
    page: Any, olga: Any, bob: Any, georgia: Any
) -> None:
    log_in(page, "olga")
    page.goto("/elections/new/")
    page.select_option("#id_state", "GE")
    page.select_option("#id_kind", "parliamentary")
    page.fill("#id_date", _day(20))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Election recorded." in page.content()
    election_url = page.url

    page.get_by_role("link", name="Add an observation activity").click()
    page.select_option("#id_kind", "EOM")
    page.fill("#id_head", "Ambassador A. Example")
    page.fill("#id_opened", _day(-1))  # the deployment started yesterday: LTO offers are closed
    page.fill("#id_core_team_size", "12")
    page.fill("#id_lto_requested", "10")
    page.fill("#id_sto_requested", "100")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url == election_url
    page.get_by_role("link", name="Observers of the EOM: requested and offered").click()
    observers_url = page.url
    assert _missing_stos(page) == "100"
    assert axe_violations(page) == []

    log_in(page, "bob")
    page.goto(election_url)
    page.fill("#id_lto", "0")
    page.fill("#id_sto", "6")
    page.focus("#id_note")
    page.keyboard.type("Six observers from the Ministry's roster.")
    with page.expect_navigation():
        page.get_by_role("button", name="Offer observers").press("Enter")
    assert "Your offer has been recorded." in page.content()
    assert axe_violations(page) == []

    log_in(page, "olga")
    page.goto(observers_url)
    assert _missing_stos(page) == "94"
    assert "Austria" in page.locator("table", has_text="Observers offered per State").inner_text()
