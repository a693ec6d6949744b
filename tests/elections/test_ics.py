"""The hand-written iCalendar writer: escaping and folding."""

from __future__ import annotations

import datetime

from core.ical import CalendarEvent, escape_text, fold, render_calendar


def test_escape_text():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_fold_counts_octets_and_keeps_characters_whole():
    line = "SUMMARY:" + "ж" * 100  # 2 octets each
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_short_line_untouched():
    assert fold("VERSION:2.0") == "VERSION:2.0"


def test_render_calendar_shape():
    now = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
    event = CalendarEvent(
        uid="x-1", start=datetime.date(2027, 1, 1), end=datetime.date(2027, 1, 2), summary="S"
    )
    text = render_calendar([event], name="N", now=now, uid_domain="elections.osce-portal")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert "DTSTAMP:20261128T120000Z\r\n" in text
    assert "DTSTART;VALUE=DATE:20270101\r\n" in text
    assert text.endswith("END:VCALENDAR\r\n")
