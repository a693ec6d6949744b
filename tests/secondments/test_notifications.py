"""Notifications of the secondment cycle (issue 11): nomination received, status changed, vacancy
filled, HR's daily digest. Each is sent once, only to those allowed to see its content, in the
recipient's language, with absolute links starting with SITE_URL."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from accounts.services import preference_update, role_grant
from core.models import Notification
from secondments import notifications, services, tasks
from secondments.models import Nomination, Vacancy
from states.models import Partner, State

SITE = "https://portal.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = SITE


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def nominate(actor: Any, vacancy: Vacancy, code: str = "AT", n: int = 1) -> Nomination:
    nationality: State | Partner = (
        Partner.objects.get(code=code) if code == "JP" else State.objects.get(code=code)
    )
    return services.nomination_submit(
        actor=actor,
        vacancy=vacancy,
        given_name="Anna",
        family_name=f"Huber{n}",
        email=f"anna{n}@example.org",
        nationality=nationality,
        gender="female",
    )


@pytest.fixture
def austria_colleague(bob: Any) -> Any:
    """A second focal point of Austria: every focal point of the nominating State is told."""
    user, _created = role_grant(username="berta", role="focal-point", state_code="AT")
    user.email = "berta@example.org"
    user.save()
    return user


def test_nomination_received_goes_to_the_nominating_states_focal_points_only(
    alice: Any,
    bob: Any,
    austria_colleague: Any,
    carol: Any,
    erin: Any,
    vacancy: Vacancy,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nominate(bob, vacancy)
    assert recipients() == ["berta@example.org", "bob@example.org"]  # not Germany, Japan nor HR
    message = mail.outbox[0]
    assert f"#{nomination.pk}" in message.subject and vacancy.reference in message.subject
    link = f"{SITE}/nominations/{nomination.pk}/"
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    # The task runs again (a retry, a redelivery): nothing more is sent.
    assert tasks.nomination_received.delay(nomination.pk).get() == 0
    assert len(mail.outbox) == 2
    assert set(Notification.objects.values_list("user__username", "url")) == {("bob", link), ("berta", link)}


def test_a_partners_nomination_is_told_to_that_partner_only(
    bob: Any, erin: Any, make_vacancy: Any, django_capture_on_commit_callbacks: Any
) -> None:
    vacancy = make_vacancy(grade="S1", open_to_partners=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nominate(erin, vacancy, code="JP")
    assert recipients() == ["erin@example.org"]


def test_status_changes_are_told_once_to_the_nominating_state_in_its_language(
    alice: Any, bob: Any, carol: Any, vacancy: Vacancy, django_capture_on_commit_callbacks: Any
) -> None:
    preference_update(actor=bob, user=bob, language="fr")
    mine, theirs = nominate(bob, vacancy), nominate(carol, vacancy, code="DE")
    services.vacancy_close(actor=alice, vacancy=vacancy)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decide(actor=alice, nomination=mine, status="shortlisted")
    assert recipients() == ["bob@example.org"]  # never Germany's focal point
    (message,) = mail.outbox
    assert "présélectionné" in message.subject  # Bob reads French
    assert f"{SITE}/nominations/{mine.pk}/" in message.body
    assert 'lang="fr"' in message.alternatives[0][0]
    assert Notification.objects.get(user=bob, key=f"nomination-status:{mine.pk}:shortlisted").language == "fr"
    # A retried task sends nothing more.
    assert tasks.nomination_status_notice.delay(mine.pk, "shortlisted").get() == 0
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decide(actor=alice, nomination=theirs, status="rejected", reason="Too junior.")
    assert recipients() == ["carol@example.org"]
    assert "rejected" in mail.outbox[0].subject and "Too junior." in mail.outbox[0].body


def test_a_stale_status_task_sends_nothing(alice: Any, bob: Any, vacancy: Vacancy) -> None:
    """A task that arrives after the nomination moved on (or for a status HR does not set) is
    dropped: no e-mail announces a status the nomination does not have."""
    nomination = nominate(bob, vacancy)
    mail.outbox.clear()
    assert notifications.nomination_status_notice(nomination_id=nomination.pk, status="shortlisted") == 0
    assert notifications.nomination_status_notice(nomination_id=nomination.pk, status="submitted") == 0
    assert mail.outbox == []


def test_withdrawing_sends_no_status_mail(
    bob: Any, vacancy: Vacancy, django_capture_on_commit_callbacks: Any
) -> None:
    nomination = nominate(bob, vacancy)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_withdraw(actor=bob, nomination=nomination)
    assert mail.outbox == []


def test_vacancy_filled_in_the_recipients_language(
    alice: Any, bob: Any, carol: Any, vacancy: Vacancy, django_capture_on_commit_callbacks: Any
) -> None:
    preference_update(actor=carol, user=carol, language="fr")
    mine, _theirs = nominate(bob, vacancy), nominate(carol, vacancy, code="DE")
    services.vacancy_close(actor=alice, vacancy=vacancy)
    services.nomination_decide(actor=alice, nomination=mine, status="shortlisted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decide(actor=alice, nomination=mine, status="selected")
    (filled,) = [message for message in mail.outbox if message.to == ["carol@example.org"]]
    assert filled.subject == f"L'avis de vacance {vacancy.reference} a été pourvu"
    assert f"{SITE}/vacancies/{vacancy.reference}/" in filled.body
    assert tasks.vacancy_filled_notice.delay(vacancy.pk).get() == 0


def test_published_vacancy_in_each_recipients_language(
    bob: Any, carol: Any, make_vacancy: Any, django_capture_on_commit_callbacks: Any
) -> None:
    preference_update(actor=bob, user=bob, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = make_vacancy()
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["bob@example.org"].startswith(f"Nouvel avis de vacance de l'OSCE {vacancy.reference}")
    assert subjects["carol@example.org"].startswith(f"New OSCE vacancy {vacancy.reference}")
    assert all(f"{SITE}/vacancies/{vacancy.reference}/" in message.body for message in mail.outbox)


def _submitted_on(nomination: Nomination, day: datetime.date) -> None:
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 30)))
    Nomination.objects.filter(pk=nomination.pk).update(submitted=at)


def test_hr_daily_digest_of_yesterdays_nominations_once(
    alice: Any, bob: Any, carol: Any, dave: Any, make_vacancy: Any
) -> None:
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    vacancy = make_vacancy()
    old, mine, theirs = (
        nominate(bob, vacancy, n=1),
        nominate(bob, vacancy, n=2),
        nominate(carol, vacancy, "DE", n=3),
    )
    _submitted_on(old, today - datetime.timedelta(days=2))
    _submitted_on(mine, yesterday)
    _submitted_on(theirs, yesterday)
    mail.outbox.clear()
    assert notifications.nominations_digest(on=today) == 1
    assert recipients() == ["alice@example.org"]  # HR only: the digest names every State's candidates
    (message,) = mail.outbox
    assert "2 new nominations" in message.subject and yesterday.isoformat() in message.subject
    assert "Huber2" in message.body and "Huber3" in message.body
    assert "Huber1" not in message.body  # yesterday's, not older ones
    assert f"{SITE}/nominations/{theirs.pk}/" in message.body
    assert f"{SITE}/nominations/" in message.body
    # Beat runs again the same day: nothing more; a day without nominations: nothing at all.
    assert tasks.nominations_digest.delay().get() == 0
    assert notifications.nominations_digest(on=today + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_digest_is_in_the_beat_schedule(settings: Any) -> None:
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "secondments.tasks.nominations_digest" in tasks_scheduled


def test_demo_nominations_reach_nobody(
    alice: Any, bob: Any, vacancy: Vacancy, django_capture_on_commit_callbacks: Any
) -> None:
    Vacancy.objects.filter(pk=vacancy.pk).update(is_demo=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nominate(bob, vacancy)
    _submitted_on(nomination, timezone.localdate() - datetime.timedelta(days=1))
    assert notifications.nominations_digest() == 0
    assert mail.outbox == []


# States and Partners named in the recipient's language (issue 11 item 3): the French-speaking focal
# point reads "Autriche", HR reading French every State's French name, English readers the
# official English names.


def test_a_french_speaking_focal_point_s_mail_names_its_state_in_french(
    alice: Any, bob: Any, carol: Any, vacancy: Vacancy, django_capture_on_commit_callbacks: Any
) -> None:
    preference_update(actor=bob, user=bob, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        mine = nominate(bob, vacancy)
    (received,) = mail.outbox  # the nomination received
    assert "Autriche" in received.body and "Austria" not in received.body
    theirs = nominate(carol, vacancy, "DE", 2)
    services.vacancy_close(actor=alice, vacancy=vacancy)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decide(actor=alice, nomination=mine, status="shortlisted")
        services.nomination_decide(actor=alice, nomination=theirs, status="shortlisted")
    by_recipient = {message.to[0]: message for message in mail.outbox}
    french = by_recipient["bob@example.org"]
    assert "Autriche" in french.body and "Austria" not in french.body
    assert "Autriche" in french.alternatives[0][0]
    assert "Germany" in by_recipient["carol@example.org"].body  # Carol reads English: the official name


def test_hr_reading_french_gets_the_digest_with_french_names(
    alice: Any, bob: Any, carol: Any, vacancy: Vacancy
) -> None:
    preference_update(actor=alice, user=alice, language="fr")
    today = timezone.localdate()
    at = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(12)))
    for nomination in (nominate(bob, vacancy), nominate(carol, vacancy, "DE", 2)):
        Nomination.objects.filter(pk=nomination.pk).update(submitted=at)
    mail.outbox.clear()
    assert notifications.nominations_digest(on=today) == 1
    (message,) = mail.outbox
    assert "Autriche" in message.body and "Allemagne" in message.body
    assert "Austria" not in message.body and "Germany" not in message.body


def test_hr_reading_french_is_reminded_of_a_secondment_ending_in_french(
    alice: Any, bob: Any, vacancy: Vacancy
) -> None:
    preference_update(actor=alice, user=alice, language="fr")
    nomination = nominate(bob, vacancy)
    services.vacancy_close(actor=alice, vacancy=vacancy)
    services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    start = timezone.localdate() - datetime.timedelta(days=320)
    services.nomination_decide(actor=alice, nomination=nomination, status="selected", start=start)
    mail.outbox.clear()
    assert tasks.secondment_end_reminders.delay().get() == 1
    (message,) = mail.outbox
    assert "Autriche" in message.body and "Austria" not in message.body
