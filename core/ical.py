"""RFC 5545 calendars written by hand (no runtime dependency): CRLF line ends, lines folded at 75
octets (never inside a UTF-8 character), TEXT values escaped, a stable UID and a DTSTAMP per event.

Used by the vacancy deadlines (secondments) and the elections calendar."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//OSCE portal//Calendar//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime.date
    end: datetime.date  # exclusive, as DTEND of an all-day event
    summary: str
    description: str = ""
    url: str = ""
    categories: str = ""
    location: str = ""


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, continuation lines starting with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # the leading space counts
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def render_calendar(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    now: datetime.datetime,
    uid_domain: str,
    prodid: str = PRODID,
) -> str:
    """The whole VCALENDAR text; ``uid_domain`` makes each event's UID globally unique."""
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Vienna",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}@{uid_domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(event.start)}",
            f"DTEND;VALUE=DATE:{_date(event.end)}",
            f"SUMMARY:{escape_text(event.summary)}",
            "TRANSP:TRANSPARENT",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.categories:
            lines.append(f"CATEGORIES:{escape_text(event.categories)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
