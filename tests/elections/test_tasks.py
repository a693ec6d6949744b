"""Reminders to focal points: on request and 3 days before offers close, each sent once."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.services import preference_update
from core.models import Notification
from elections import services
from elections.tasks import remind_observers_requested, remind_offers_closing
from tests.elections.factories import ActivityFactory, ElectionFactory, days

pytestmark = pytest.mark.django_db


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_request_reminds_other_states_focal_points_once(
    bob, carol, georgian_focal_point, alice, olga, election, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.activity_create(
            actor=olga, election=election, kind="EOM", opened=days(20), lto_requested=10, sto_requested=100
        )
    assert recipients() == ["bob@example.org", "carol@example.org"]  # not the host's, not HR
    assert "Observers requested" in mail.outbox[0].subject
    assert f"/elections/{election.pk}/" in mail.outbox[0].body
    assert f"Long-term observers are offered until {days(19).isoformat()}" in mail.outbox[0].body
    assert f"Short-term observers are offered until {days(59).isoformat()}" in mail.outbox[0].body
    # The task runs again (a retry, a redelivery, an update): nothing new is sent.
    assert remind_observers_requested(activity.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(actor=olga, activity=activity, sto_requested=120)
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2


def test_no_request_reminder_without_observers(bob, olga, election, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.activity_create(actor=olga, election=election, kind="NAM", opened=days(3))
    assert callbacks == []
    assert mail.outbox == []


def test_update_that_requests_observers_reminds(bob, olga, election, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity = services.activity_create(actor=olga, election=election, kind="EAM", opened=days(20))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(actor=olga, activity=activity, lto_requested=4)
    assert recipients() == ["bob@example.org"]


def test_no_reminder_when_offers_closed(bob, georgia):
    # Both windows closed: LTOs at the deployment (10 days ago), STOs the day before election day
    # (yesterday, as the election is today).
    closed = ActivityFactory(election=ElectionFactory(state=georgia, date=days(0)), opened=days(-10))
    assert remind_observers_requested(closed.pk) == 0
    assert mail.outbox == []


def test_request_reminder_while_the_sto_window_is_open(bob, started_eom):
    # The deployment started yesterday (LTOs closed) but STOs are offered until the day before
    # election day: the request still goes out.
    assert remind_observers_requested(started_eom.pk) == 1


def test_closing_reminder_three_days_before(bob, carol, georgia):
    closing = ActivityFactory(election=ElectionFactory(state=georgia, date=days(40)), opened=days(4))
    ActivityFactory(election=ElectionFactory(state=georgia, date=days(60)), opened=days(10))  # too early
    assert remind_offers_closing() == 2
    assert recipients() == ["bob@example.org", "carol@example.org"]
    assert "long-term observer offers" in mail.outbox[0].subject and "close on" in mail.outbox[0].subject
    assert days(3).isoformat() in mail.outbox[0].subject
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


def test_sto_window_reminder_three_days_before_it_closes(bob, carol, georgia):
    # The deployment started long ago: only the STO window is open, closing in 3 days (its
    # sto_deadline), and another closing the day before election day, in 2 days.
    with_deadline = ActivityFactory(
        election=ElectionFactory(state=georgia, date=days(30)), opened=days(-20), sto_deadline=days(3)
    )
    by_election_day = ActivityFactory(election=ElectionFactory(state=georgia, date=days(3)), opened=days(-20))
    ActivityFactory(election=ElectionFactory(state=georgia, date=days(31)), opened=days(-20))  # closes later
    assert remind_offers_closing() == 4
    subjects = sorted(message.subject for message in mail.outbox)
    assert all("short-term observer offers" in subject for subject in subjects)
    assert sum(f"close on {days(3).isoformat()}" in subject for subject in subjects) == 2  # with_deadline's
    assert sum(f"close on {days(2).isoformat()}" in subject for subject in subjects) == 2  # by_election_day's
    assert Notification.objects.filter(key__startswith="observers-closing-sto:").count() == 4
    assert remind_offers_closing(days(1).isoformat()) == 0
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"observers-closing-sto:{activity.pk}" for activity in (with_deadline, by_election_day)}


def test_each_window_is_reminded_once(bob, georgia):
    # Both windows close within 3 days: two reminders, one per window.
    ActivityFactory(election=ElectionFactory(state=georgia, date=days(3)), opened=days(2))
    assert remind_offers_closing() == 2
    assert remind_offers_closing() == 0
    assert len(mail.outbox) == 2


def test_observers_requested_names_the_french_reader_s_state_in_french(
    bob, carol, olga, election, django_capture_on_commit_callbacks
):
    preference_update(actor=bob, user=bob, language="fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_create(
            actor=olga, election=election, kind="EOM", opened=days(20), lto_requested=10, sto_requested=100
        )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "Autriche" in by_recipient["bob@example.org"].body
    assert "Austria" not in by_recipient["bob@example.org"].body
    assert "Germany" in by_recipient["carol@example.org"].body
    # The election by its host State's name in the reader's language, not its code.
    french, english = by_recipient["bob@example.org"], by_recipient["carol@example.org"]
    assert "Géorgie" in french.subject and "Géorgie" in french.body
    assert "Georgia" in english.subject and "Georgia" in english.body
    assert " GE " not in french.subject + french.body + english.subject + english.body


def test_a_subject_is_plain_text_not_html(bob, olga, django_capture_on_commit_callbacks):
    """The subject's values are not HTML-escaped: "États-Unis d'Amérique", not "d&#x27;Amérique"."""
    from tests.conftest import make_state

    preference_update(actor=bob, user=bob, language="fr")
    usa = make_state("US", "United States of America", iso_alpha3="USA")
    election = ElectionFactory(state=usa, date=days(60))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_create(
            actor=olga, election=election, kind="LEOM", opened=days(20), lto_requested=10, sto_requested=0
        )
    (message,) = [message for message in mail.outbox if message.to == ["bob@example.org"]]
    assert "États-Unis d'Amérique" in message.subject
    assert "&#" not in message.subject
    html_part = message.alternatives[0][0]
    assert "d&#x27;Amérique" in html_part or "d&#39;Amérique" in html_part  # escaped once, in HTML
