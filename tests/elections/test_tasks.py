"""Reminders to focal points: on request and 3 days before offers close, each sent once."""

from __future__ import annotations

import pytest
from django.core import mail

from elections import services
from elections.models import SentNotification
from elections.tasks import remind_observers_requested, remind_offers_closing
from tests.elections.factories import ActivityFactory, ElectionFactory, days

pytestmark = pytest.mark.django_db


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_request_reminds_other_states_focal_points_once(
    bob, carol, georgian_focal_point, alice, election, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        activity = services.activity_create(
            actor=alice, election=election, kind="EOM", opened=days(20), lto_requested=10, sto_requested=100
        )
    assert len(callbacks) == 1
    assert recipients() == ["bob@example.org", "carol@example.org"]  # not the host's, not HR
    assert "Observers requested" in mail.outbox[0].subject
    assert f"/elections/{election.pk}/" in mail.outbox[0].body
    # The task runs again (a retry, a redelivery, an update): nothing new is sent.
    assert remind_observers_requested(activity.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(actor=alice, activity=activity, sto_requested=120)
    assert len(mail.outbox) == 2
    assert SentNotification.objects.count() == 2


def test_no_request_reminder_without_observers(bob, election, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.activity_create(actor=None, election=election, kind="NAM", opened=days(3))
    assert callbacks == []
    assert mail.outbox == []


def test_update_that_requests_observers_reminds(bob, election, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.activity_create(actor=None, election=election, kind="EAM", opened=days(20))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(actor=None, activity=activity, lto_requested=4)
    assert recipients() == ["bob@example.org"]


def test_no_reminder_when_offers_closed(bob, started_eom):
    assert remind_observers_requested(started_eom.pk) == 0
    assert mail.outbox == []


def test_closing_reminder_three_days_before(bob, carol, georgia):
    closing = ActivityFactory(election=ElectionFactory(state=georgia, date=days(40)), opened=days(3))
    ActivityFactory(election=ElectionFactory(state=georgia, date=days(60)), opened=days(10))  # too early
    assert remind_offers_closing() == 2
    assert recipients() == ["bob@example.org", "carol@example.org"]
    assert "close on" in mail.outbox[0].subject
    assert str(closing.election.pk) in mail.outbox[0].body
    # Beat runs again the same day and the next: each e-mail went once.
    assert remind_offers_closing() == 0
    assert remind_offers_closing(days(1).isoformat()) == 0
    assert len(mail.outbox) == 2


def test_missing_activity_is_ignored(db):
    assert remind_observers_requested(987654) == 0


def test_beat_schedule_registered(settings):
    assert settings.CELERY_BEAT_SCHEDULE["elections-remind-offers-closing"]["task"] == (
        "elections.tasks.remind_offers_closing"
    )
