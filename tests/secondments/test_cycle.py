"""The whole secondment cycle end to end, through the API and through the pages: HR publishes, two
States nominate, HR shortlists and selects, the secondment exists with its end date, alerts and
reminders arrive (captured e-mail), and the deadline closes the vacancy."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from secondments import tasks
from secondments.models import Vacancy
from tests.secondments.conftest import candidate


def test_cycle_through_the_api(
    api_as: Any,
    alice: Any,
    bob: Any,
    carol: Any,
    operation: Any,
    dimension: Any,
    expertise: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hr, austria, germany = api_as(alice), api_as(bob), api_as(carol)
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    payload = {
        "title": "Rule of Law Adviser",
        "field_operation": operation.slug,
        "duty_station": "Sarajevo",
        "appointment": "seconded",
        "grade": "S2",
        "dimension": "human",
        "field_of_expertise": "rule-of-law",
        "posts": 1,
        "deadline": deadline.isoformat(),
        "description": "Courts.",
        "requirements": "Law.",
        "notice_language": "en",
        "languages": ["en"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        ref = hr.post("/api/v1/vacancies/", payload, format="json").json()["reference"]
        assert hr.post(f"/api/v1/vacancies/{ref}/publish/").json()["status"] == "open"
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "carol@example.org"]  # alerts

    mail.outbox.clear()
    tasks.deadline_reminders.delay()  # 7 days before: nobody nominated yet
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "carol@example.org"]

    at = austria.post(
        f"/api/v1/vacancies/{ref}/nominations/", {"candidate": candidate()}, format="json"
    ).json()
    de = germany.post(
        f"/api/v1/vacancies/{ref}/nominations/", {"candidate": candidate("DE", 2)}, format="json"
    ).json()
    assert (at["state"], de["state"]) == ("AT", "DE")

    # The deadline passes: beat closes the vacancy, nominations are refused.
    Vacancy.objects.filter(reference=ref).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    tasks.close_expired_vacancies.delay()
    assert hr.get(f"/api/v1/vacancies/{ref}/").json()["status"] == "closed"
    late = austria.post(f"/api/v1/vacancies/{ref}/nominations/", {"candidate": candidate(n=3)}, format="json")
    assert late.status_code == 409

    for nomination in (at, de):
        hr.patch(
            f"/api/v1/nominations/{nomination['id']}/",
            {"status": "shortlisted", "reason": "Long-list"},
            format="json",
        )
    mail.outbox.clear()
    start = timezone.localdate() + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.patch(
            f"/api/v1/nominations/{at['id']}/",
            {"status": "selected", "reason": "Interview board", "start": start.isoformat()},
            format="json",
        )
    assert response.status_code == 200
    # Austria is told its candidate is selected; the remaining State that the vacancy is filled.
    told = {m.to[0]: m.subject for m in mail.outbox}
    assert sorted(told) == ["bob@example.org", "carol@example.org"] and len(mail.outbox) == 2
    assert "selected" in told["bob@example.org"] and "filled" in told["carol@example.org"]
    assert hr.get(f"/api/v1/vacancies/{ref}/").json()["status"] == "filled"
    assert germany.get(f"/api/v1/nominations/{de['id']}/").json()["status"] == "rejected"
    secondment = austria.get("/api/v1/secondments/").json()["results"][0]
    assert secondment["post"] == ref and secondment["end"] == start.replace(year=start.year + 1).isoformat()


def test_cycle_through_the_pages(
    alice: Any,
    bob: Any,
    carol: Any,
    operation: Any,
    dimension: Any,
    expertise: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    hr, austria, germany = Client(), Client(), Client()
    hr.force_login(alice)
    austria.force_login(bob)
    germany.force_login(carol)
    deadline = timezone.localdate() + datetime.timedelta(days=2)
    hr.post(
        "/vacancies/new/",
        {
            "title": "Election Adviser",
            "field_operation": operation.slug,
            "duty_station": "Sarajevo",
            "appointment": "seconded",
            "grade": "S3",
            "field_of_expertise": "rule-of-law",
            "dimension": "human",
            "posts": "1",
            "notice_language": "en",
            "languages": "en",
            "deadline": deadline.isoformat(),
        },
    )
    ref = Vacancy.objects.get().reference
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(f"/vacancies/{ref}/publish/")
    assert len(mail.outbox) == 2
    for client, code, n in ((austria, "AT", 1), (germany, "DE", 2)):
        data = {**candidate(code, n), "motivation": "Motivated."}
        assert client.post(f"/vacancies/{ref}/nominate/", data).status_code == 302
    mail.outbox.clear()
    tasks.deadline_reminders.delay()  # 2 days before: both States nominated, nobody is reminded
    assert mail.outbox == []
    page = hr.get("/nominations/").content.decode()
    assert "Huber1" in page and "Huber2" in page
    assert "Huber2" not in austria.get("/nominations/").content.decode()
    ids = [n.pk for n in Vacancy.objects.get().nominations.order_by("pk")]
    # Before the deadline HR cannot decide yet; HR closes nominations early, then selects.
    assert hr.post(f"/nominations/{ids[0]}/decide/", {"status": "shortlisted"}).status_code == 409
    assert hr.post(f"/vacancies/{ref}/close/").status_code == 302
    hr.post(f"/nominations/{ids[0]}/decide/", {"status": "shortlisted", "reason": "Good"})
    hr.post(f"/nominations/{ids[0]}/decide/", {"status": "selected", "reason": "Best"})
    vacancy = Vacancy.objects.get()
    assert vacancy.status == "filled"
    html = austria.get("/secondments/").content.decode()
    assert ref in html
    end = (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()
    assert end in html


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_alerts_once(alice: Any, bob: Any, carol: Any, make_vacancy: Any) -> None:
    """A real Celery worker (in a thread, on the configured Redis broker) delivers the alerts."""
    import time

    import redis
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    from osce_portal.celery import app

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # pragma: no cover - CI always has Redis
        pytest.skip("no Redis to run a worker against")

    def wait_for(count: int, seconds: float) -> None:
        until = time.monotonic() + seconds
        while len(mail.outbox) < count and time.monotonic() < until:
            time.sleep(0.05)

    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
            vacancy = make_vacancy()  # publishing enqueues the alert after commit, on the broker
            wait_for(2, 30)
            assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "carol@example.org"]
            tasks.vacancy_alert.delay(vacancy.pk)  # delivered twice: nothing more is sent
            wait_for(3, 3)
    finally:
        app.conf.task_always_eager = True
    assert len(mail.outbox) == 2
