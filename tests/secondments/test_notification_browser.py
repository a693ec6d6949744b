"""A real browser: HR shortlists Austria's nomination in the page; Austria's focal point gets the
e-mail, and its link, opened in the browser logged in as the focal point, shows the nomination."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from secondments import services
from secondments.models import Vacancy
from states.models import State
from tests.platform.pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shortlisting_mails_the_focal_point_a_link_that_works(
    page: Any, live_server: Any, settings: Any, alice: Any, bob: Any, carol: Any, vacancy: Vacancy
) -> None:
    settings.SITE_URL = live_server.url  # the portal's public address is the test server's
    nomination = services.nomination_submit(
        actor=bob,
        vacancy=vacancy,
        given_name="Anna",
        family_name="Huber",
        email="anna.huber@example.org",
        nationality=State.objects.get(code="AT"),
        gender="female",
    )
    services.vacancy_close(actor=alice, vacancy=vacancy)
    mail.outbox.clear()

    log_in(page, "alice")
    page.goto(f"/nominations/{nomination.pk}/")
    page.select_option("#id_status", "shortlisted")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()

    (message,) = mail.outbox  # Austria's focal point only: not Germany's, not HR
    assert message.to == ["bob@example.org"]
    assert "shortlisted" in message.subject
    links = re.findall(r"https?://\S+", message.body)
    link = f"{live_server.url}/nominations/{nomination.pk}/"
    assert link in links

    log_in(page, "bob")
    page.goto(link)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"Nomination {nomination.pk} to {vacancy.reference}"
    assert "shortlisted" in page.locator("dl.facts").inner_text()
    assert "Anna Huber" in page.content()
    # The notification is listed on Bob's page too, with the same link.
    page.goto("/accounts/me/notifications/")
    assert page.get_by_role("link", name=message.subject).get_attribute("href") == link
