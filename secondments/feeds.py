"""Feeds of vacancies: RFC 5545 calendars of deadlines and an Atom feed of published vacancies.

Calendars are rendered by ``core.ical`` (RFC 5545, no runtime dependency).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from core.ical import CalendarEvent, render_calendar
from secondments.models import Vacancy


def deadlines_calendar(
    vacancies: Iterable[Vacancy], *, base_url: str, name: str, notes: dict[int, str] | None = None
) -> str:
    """One all-day event per vacancy, on its deadline day (nominations close 23:59 Vienna);
    ``notes`` adds a line to an event's description."""
    events = []
    for vacancy in vacancies:
        address = f"{base_url}/vacancies/{vacancy.reference}/"
        description = f"Nominations close at 23:59 Vienna time. {address}"
        if notes and vacancy.pk in notes:
            description += "\n" + notes[vacancy.pk]
        events.append(
            CalendarEvent(
                uid=f"vacancy-{vacancy.reference}-deadline",
                start=vacancy.deadline,
                end=vacancy.deadline + datetime.timedelta(days=1),
                summary=f"{vacancy.reference}: {vacancy.title}",
                description=description,
                url=address,
                location=vacancy.duty_station,
            )
        )
    return render_calendar(
        events,
        name=name,
        now=timezone.now(),
        uid_domain=urlsplit(base_url).hostname or "osce-portal",
        prodid="-//OSCE portal//Vacancy deadlines//EN",
    )


def vacancies_atom(vacancies: Iterable[Vacancy], *, base_url: str, title: str, description: str) -> str:
    """An Atom feed of published vacancies, newest first."""
    feed = Atom1Feed(
        title=title,
        link=f"{base_url}/vacancies/",
        description=description,
        language="en",
        feed_url=f"{base_url}/vacancies/feed.atom",
        feed_guid=f"{base_url}/vacancies/feed.atom",
    )
    for vacancy in vacancies:
        link = f"{base_url}/vacancies/{vacancy.reference}/"
        feed.add_item(
            title=f"{vacancy.reference}: {vacancy.title}",
            link=link,
            description=(vacancy.description or vacancy.title)[:1000],
            unique_id=link,
            pubdate=vacancy.published,
            updateddate=vacancy.updated,
            categories=[vacancy.grade, vacancy.appointment],
        )
    return feed.writeString("utf-8")
