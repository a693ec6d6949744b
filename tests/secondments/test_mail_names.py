"""E-mails name States and Partners in their recipient's language (issue 11 item 3): the French-speaking
focal point reads "Autriche", HR reading French reads every State's French name, and an English
reader keeps the official English names."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.utils import timezone

from accounts.services import preference_update
from elections import services as elections_services
from secondments import notifications, services, tasks
from secondments.models import Nomination, Vacancy
from states.models import State
from tests.elections.factories import days


def nominate(actor: Any, vacancy: Vacancy, code: str, n: int) -> Nomination:
    return services.nomination_submit(
        actor=actor,
        vacancy=vacancy,
        given_name="Anna",
        family_name=f"Huber{n}",
        email=f"anna{n}@example.org",
        nationality=State.objects.get(code=code),
        gender="female",
    )


def test_a_french_speaking_focal_point_s_mail_names_its_state_in_french(
    alice: Any, bob: Any, carol: Any, vacancy: Vacancy, django_capture_on_commit_callbacks: Any
) -> None:
    preference_update(actor=bob, user=bob, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        mine = nominate(bob, vacancy, "AT", 1)
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
    for nomination in (nominate(bob, vacancy, "AT", 1), nominate(carol, vacancy, "DE", 2)):
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
    nomination = nominate(bob, vacancy, "AT", 1)
    services.vacancy_close(actor=alice, vacancy=vacancy)
    services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    start = timezone.localdate() - datetime.timedelta(days=320)
    services.nomination_decide(actor=alice, nomination=nomination, status="selected", start=start)
    mail.outbox.clear()
    assert tasks.secondment_end_reminders.delay().get() == 1
    (message,) = mail.outbox
    assert "Autriche" in message.body and "Austria" not in message.body


def test_observers_requested_names_the_french_reader_s_state_in_french(
    bob: Any, carol: Any, olga: Any, django_capture_on_commit_callbacks: Any
) -> None:
    preference_update(actor=bob, user=bob, language="fr")
    georgia = State.objects.get_or_create(
        code="GE", defaults={"name": "Georgia", "iso_alpha3": "GEO", "joined": datetime.date(1992, 3, 24)}
    )[0]
    election = elections_services.election_create(
        actor=olga, state=georgia, kind="parliamentary", date=days(60)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        elections_services.activity_create(
            actor=olga, election=election, kind="EOM", opened=days(20), lto_requested=10, sto_requested=100
        )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "Autriche" in by_recipient["bob@example.org"].body
    assert "Austria" not in by_recipient["bob@example.org"].body
    assert "Germany" in by_recipient["carol@example.org"].body
