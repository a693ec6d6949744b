"""Contract §4: the deadlines feed (RFC 5545) links to the portal at the address it was asked on."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from icalendar import Calendar

pytestmark = pytest.mark.django_db


def test_event_url_keeps_the_request_scheme(make_vacancy: Any) -> None:
    vacancy = make_vacancy()
    raw = Client().get("/vacancies/deadlines.ics").content
    event = next(iter(Calendar.from_ical(raw).walk("VEVENT")))
    assert str(event["URL"]) == f"http://testserver/vacancies/{vacancy.reference}/"
    assert f"http://testserver/vacancies/{vacancy.reference}/" in str(event["DESCRIPTION"])


def test_event_url_is_https_behind_https(make_vacancy: Any) -> None:
    vacancy = make_vacancy()
    raw = Client().get("/vacancies/deadlines.ics", secure=True).content
    event = next(iter(Calendar.from_ical(raw).walk("VEVENT")))
    assert str(event["URL"]) == f"https://testserver/vacancies/{vacancy.reference}/"
