"""Background work: alerts, digests, reminders, auto-close, end-of-secondment notices and
anonymisation; every e-mail is sent once even when a task runs twice."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from accounts.services import role_grant
from core.models import Notification
from secondments import services, tasks
from secondments.models import Nomination, PartnerContact, SavedSearch, Secondment, Vacancy
from states.models import Partner, State
from tests.conftest import make_state


@pytest.fixture
def former_state_focal_point(db: None) -> Any:
    """A focal point of a State that no longer participates: never alerted."""
    state = make_state("YU", "Yugoslavia", left=datetime.date(1992, 7, 8))
    user, _ = role_grant(username="old", role="focal-point", state_code="AT")
    from accounts.models import FocalPoint

    FocalPoint.objects.filter(user=user).update(state=state)
    user.email = "old@example.org"
    user.save()
    return user


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_publish_alerts_focal_points_once(
    alice: Any,
    bob: Any,
    carol: Any,
    former_state_focal_point: Any,
    make_vacancy: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = make_vacancy()
    assert recipients() == ["bob@example.org", "carol@example.org"]
    assert vacancy.reference in mail.outbox[0].subject
    tasks.vacancy_alert.delay(vacancy.pk)  # runs again: nothing more is sent
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(template="secondments/email/vacancy_published").count() == 2


def test_partners_alerted_for_s1_s2_open_to_partners(
    alice: Any, bob: Any, make_vacancy: Any, django_capture_on_commit_callbacks: Any
) -> None:
    partner = Partner.objects.create(code="JP", name="Japan", group="asian", since=1992)
    PartnerContact.objects.create(partner=partner, email="secondment@mofa.example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        make_vacancy(grade="S3", open_to_partners=True)
    assert "secondment@mofa.example.jp" not in recipients()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_vacancy(grade="S1", open_to_partners=True)
    assert recipients() == ["bob@example.org", "secondment@mofa.example.jp"]


def test_saved_search_instant_and_daily(
    alice: Any, dave: Any, make_vacancy: Any, django_capture_on_commit_callbacks: Any
) -> None:
    SavedSearch.objects.create(user=dave, name="Law", query={"q": "judiciary"}, frequency="instant")
    daily = SavedSearch.objects.create(user=dave, name="P posts", query={"grade": "P3"}, frequency="daily")
    with django_capture_on_commit_callbacks(execute=True):
        make_vacancy()  # matches the instant search (the description mentions the judiciary)
        make_vacancy(appointment="contracted", grade="P3", description="Finance.", title="Budget Officer")
    assert [m.to for m in mail.outbox] == [["dave@example.org"]]
    mail.outbox.clear()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    from secondments import notifications

    assert notifications.saved_search_digests(on=tomorrow) == 1
    assert notifications.saved_search_digests(on=tomorrow) == 0
    assert len(mail.outbox) == 1 and "Budget Officer" in mail.outbox[0].body
    assert daily.name in mail.outbox[0].subject


def test_reminders_7_and_2_days_to_states_without_nomination(
    alice: Any, bob: Any, carol: Any, make_vacancy: Any
) -> None:
    from secondments import notifications

    today = timezone.localdate()
    vacancy = make_vacancy(deadline=today + datetime.timedelta(days=7))
    services.nomination_submit(
        actor=bob,
        vacancy=vacancy,
        given_name="A",
        family_name="B",
        email="a@example.org",
        nationality=State.objects.get(code="AT"),
        gender="male",
    )
    mail.outbox.clear()
    assert notifications.deadline_reminders(on=today) == 1
    assert recipients() == ["carol@example.org"]
    assert "7 days" in mail.outbox[0].subject
    tasks.deadline_reminders.delay()
    assert len(mail.outbox) == 1  # sent once
    assert notifications.deadline_reminders(on=today + datetime.timedelta(days=5)) == 1  # the 2-day one
    assert notifications.deadline_reminders(on=today + datetime.timedelta(days=1)) == 0


def test_beat_closes_vacancies_past_their_deadline(alice: Any, make_vacancy: Any) -> None:
    vacancy = make_vacancy()
    Vacancy.objects.filter(pk=vacancy.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    still_open = make_vacancy()
    assert tasks.close_expired_vacancies.delay().get() == [vacancy.reference]
    assert Vacancy.objects.get(pk=vacancy.pk).status == "closed"
    assert Vacancy.objects.get(pk=still_open.pk).status == "open"


def test_hr_reminded_60_days_before_a_secondment_ends(alice: Any, bob: Any, make_vacancy: Any) -> None:
    vacancy = make_vacancy()
    state = State.objects.get(code="AT")
    nomination = services.nomination_submit(
        actor=bob,
        vacancy=vacancy,
        given_name="A",
        family_name="B",
        email="a@example.org",
        nationality=state,
        gender="male",
    )
    services.vacancy_close(actor=alice, vacancy=vacancy)
    services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    start = timezone.localdate() - datetime.timedelta(days=320)
    services.nomination_decide(actor=alice, nomination=nomination, status="selected", start=start)
    mail.outbox.clear()
    assert tasks.secondment_end_reminders.delay().get() == 1
    assert recipients() == ["alice@example.org"]
    tasks.secondment_end_reminders.delay()
    assert len(mail.outbox) == 1
    secondment = Secondment.objects.get()
    services.secondment_renew(actor=alice, secondment=secondment)
    assert tasks.secondment_end_reminders.delay().get() == 0  # ends in more than 60 days now


def test_filled_vacancy_tells_remaining_states(
    alice: Any, bob: Any, carol: Any, make_vacancy: Any, django_capture_on_commit_callbacks: Any
) -> None:
    vacancy = make_vacancy()
    at, de = State.objects.get(code="AT"), State.objects.get(code="DE")
    mine = services.nomination_submit(
        actor=bob,
        vacancy=vacancy,
        given_name="A",
        family_name="B",
        email="a@example.org",
        nationality=at,
        gender="male",
    )
    services.nomination_submit(
        actor=carol,
        vacancy=vacancy,
        given_name="C",
        family_name="D",
        email="c@example.org",
        nationality=de,
        gender="female",
    )
    services.vacancy_close(actor=alice, vacancy=vacancy)
    services.nomination_decide(actor=alice, nomination=mine, status="shortlisted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_decide(actor=alice, nomination=mine, status="selected")
    # Austria hears that its candidate is selected; Germany, whose nomination remained, that the
    # vacancy is filled.
    assert recipients() == ["bob@example.org", "carol@example.org"]
    by_recipient = {message.to[0]: message.subject for message in mail.outbox}
    assert "selected" in by_recipient["bob@example.org"]
    assert "filled" in by_recipient["carol@example.org"]


def test_anonymisation_task(alice: Any, bob: Any, make_vacancy: Any) -> None:
    vacancy = make_vacancy()
    at = State.objects.get(code="AT")
    services.nomination_submit(
        actor=bob,
        vacancy=vacancy,
        given_name="A",
        family_name="B",
        email="a@example.org",
        nationality=at,
        gender="male",
    )
    services.vacancy_close(actor=alice, vacancy=vacancy)
    Vacancy.objects.filter(pk=vacancy.pk).update(closed=timezone.now() - datetime.timedelta(days=400))
    assert tasks.anonymise_candidates.delay().get() == 1
    assert tasks.anonymise_candidates.delay().get() == 0
    assert Nomination.objects.get().anonymised is not None


def test_send_once_rolls_back_when_sending_fails(bob: Any, monkeypatch: Any) -> None:
    from core import mail as core_mail

    def boom(*args: Any, **kwargs: Any) -> None:
        raise OSError("smtp down")

    send = {"to_users": [bob], "template": "secondments/email/vacancy_filled", "key": "x", "path": "/"}
    vacancy = Vacancy(reference="VNX", title="T", deadline=timezone.localdate(), grade="S2", posts=1)
    monkeypatch.setattr(core_mail.EmailMultiAlternatives, "send", boom)
    with pytest.raises(OSError):
        core_mail.mail_send(**send, context={"vacancy": vacancy})
    assert not Notification.objects.exists()  # the retry will send it
    monkeypatch.undo()
    assert core_mail.mail_send(**send, context={"vacancy": vacancy}) == 1
    assert core_mail.mail_send(**send, context={"vacancy": vacancy}) == 0
    assert len(mail.outbox) == 1


def test_beat_schedule_lists_the_tasks(settings: Any) -> None:
    from celery import current_app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (
        "close_expired_vacancies",
        "deadline_reminders",
        "saved_search_digests",
        "secondment_end_reminders",
        "anonymise_candidates",
    ):
        assert f"secondments.tasks.{task}" in names
        assert f"secondments.tasks.{task}" in current_app.tasks


def test_reminders_again_after_an_extension(alice: Any, bob: Any, make_vacancy: Any) -> None:
    from secondments import notifications

    today = timezone.localdate()
    vacancy = make_vacancy(deadline=today + datetime.timedelta(days=2))
    mail.outbox.clear()
    assert notifications.deadline_reminders(on=today) == 1
    services.vacancy_extend(actor=alice, vacancy=vacancy, deadline=today + datetime.timedelta(days=9))
    assert (
        notifications.deadline_reminders(on=today + datetime.timedelta(days=2)) == 1
    )  # 7 days before the new one
    assert notifications.deadline_reminders(on=today + datetime.timedelta(days=2)) == 0


def test_demo_data_never_reaches_an_inbox(alice: Any, bob: Any, carol: Any, make_vacancy: Any) -> None:
    """Vacancies and secondments of generate_demo_data send no reminder or digest to real people."""
    from secondments import notifications

    today = timezone.localdate()
    vacancy = make_vacancy(deadline=today + datetime.timedelta(days=7))
    state = State.objects.get(code="AT")
    nomination = services.nomination_submit(
        actor=bob,
        vacancy=vacancy,
        given_name="A",
        family_name="B",
        email="a@example.org",
        nationality=state,
        gender="male",
    )
    services.vacancy_close(actor=alice, vacancy=vacancy)
    services.nomination_decide(actor=alice, nomination=nomination, status="shortlisted")
    services.nomination_decide(
        actor=alice, nomination=nomination, status="selected", start=today - datetime.timedelta(days=320)
    )
    other = make_vacancy(deadline=today + datetime.timedelta(days=7))
    Vacancy.objects.filter(pk__in=[vacancy.pk, other.pk]).update(is_demo=True)
    SavedSearch.objects.create(user=carol, name="all", query={}, frequency=SavedSearch.Frequency.DAILY)
    Vacancy.objects.filter(pk=other.pk).update(published=timezone.now() - datetime.timedelta(days=1))
    mail.outbox.clear()
    assert notifications.deadline_reminders(on=today) == 0
    assert notifications.secondment_end_reminders(on=today) == 0
    assert notifications.saved_search_digests(on=today) == 0
    assert mail.outbox == []
