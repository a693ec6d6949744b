"""Feeds of vacancies: RFC 5545 calendars of deadlines and an Atom feed of published vacancies.

The calendar text is written here (no runtime dependency): CRLF line ends, lines folded at 75
octets, text values escaped, a DTSTAMP and a stable UID per event.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from secondments.models import Vacancy

PRODID = "-//OSCE portal//Vacancy deadlines//EN"


def ics_escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > limit:
            parts.append(current.decode())
            current = b""
            limit = 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def deadlines_calendar(
    vacancies: Iterable[Vacancy],
    *,
    host: str,
    name: str,
    notes: dict[int, str] | None = None,
    base_url: str | None = None,
) -> str:
    """One all-day event per vacancy, on its deadline day (nominations close 23:59 Vienna);
    ``notes`` adds a line to an event's description. Links start with ``base_url`` (the request's
    scheme and host), ``https://<host>`` if not given."""
    base = (base_url or f"https://{host}").rstrip("/")
    stamp = _utc_stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
        "X-WR-TIMEZONE:Europe/Vienna",
    ]
    for vacancy in vacancies:
        day = vacancy.deadline
        summary = f"{vacancy.reference}: {vacancy.title}"
        description = f"Nominations close at 23:59 Vienna time. {base}/vacancies/{vacancy.reference}/"
        if notes and vacancy.pk in notes:
            description += "\n" + notes[vacancy.pk]
        lines += [
            "BEGIN:VEVENT",
            f"UID:vacancy-{vacancy.reference}-deadline@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(description)}",
            f"LOCATION:{ics_escape(vacancy.duty_station)}",
            f"URL:{base}/vacancies/{vacancy.reference}/",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


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
