"""Redis down under a running portal: reads answer 200, /readyz answers 503 naming Redis, and a
vacancy published meanwhile is committed; once Redis is back and a worker runs, its alerts and its
webhook go out, once each (the task outbox, core.tasks.enqueue)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accounts.services import token_create
from core.models import Event, PendingTask
from secondments.models import Vacancy
from tests.faults.mail import sent
from tests.faults.servers import (
    Process,
    ThrowawayRedis,
    WebhookReceiver,
    celery_worker,
    portal_env,
    request,
    wait_for,
    web_server,
)
from tests.platform.helpers import database_url_of_this_test_db
from webhooks.models import Webhook

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("faults")]


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    yield server
    server.close()


def test_redis_down_reads_answer_and_a_publication_goes_out_once_redis_is_back(
    tmp_path: Path, make_vacancy: Any, alice: Any, bob: Any, carol: Any, receiver: WebhookReceiver
) -> None:
    vacancy = make_vacancy(publish=False)
    _token, raw = token_create(user=alice, name="fault test")
    Webhook.objects.create(user=alice, target=receiver.url, events=["vacancy.published"], secret="s" * 20)
    mail_log = tmp_path / "mail.log"
    redis_server = ThrowawayRedis(tmp_path)
    redis_server.start()
    env = portal_env(
        database_url=database_url_of_this_test_db(), redis_url=redis_server.url, mail_log=mail_log
    )
    processes: list[Process] = []
    try:
        web, base = web_server(env, tmp_path / "web.log")
        processes.append(web)
        assert request(base + "/readyz")[0] == 200

        redis_server.kill()

        for path in ("/", "/vacancies/", "/states/", "/api/v1/vacancies/", "/api/v1/states/AT/"):
            assert request(base + path)[0] == 200, (path, web.output())
        code, body = request(base + "/readyz")
        assert code == 503
        assert json.loads(body) == {"status": "fail", "checks": {"database": "ok", "redis": "fail"}}

        code, body = request(
            f"{base}/api/v1/vacancies/{vacancy.reference}/publish/",
            method="POST",
            headers={"Authorization": f"Bearer {raw}"},
        )
        assert code == 200, body[:500]
        assert Vacancy.objects.get(pk=vacancy.pk).status == Vacancy.Status.OPEN  # committed
        # The alert and the webhook dispatch wait in the outbox; the event in its own.
        assert set(PendingTask.objects.values_list("name", flat=True)) == {
            "secondments.tasks.vacancy_alert",
            "webhooks.tasks.dispatch_events",
        }
        assert Event.objects.filter(name="vacancy.published", dispatched__isnull=True).count() == 1
        time.sleep(1)
        assert sent(mail_log) == [] and receiver.received == []

        redis_server.start()
        assert request(base + "/readyz")[0] == 200
        worker = celery_worker(env, tmp_path / "worker.log")
        processes.append(worker)
        expected = sorted(["bob@example.org", "carol@example.org"])

        def delivered() -> bool:
            assert worker.alive(), worker.output()
            return len(sent(mail_log)) >= 2 and len(receiver.received) >= 1

        wait_for(delivered, timeout=90, what="the alerts and the webhook")
        time.sleep(3)  # anything sent twice would show now
        assert sorted(message["to"][0] for message in sent(mail_log)) == expected
        assert len(receiver.received) == 1
        assert json.loads(receiver.received[0])["event"] == "vacancy.published"
        assert not PendingTask.objects.exists()
    finally:
        for process in processes:
            process.stop()
        redis_server.kill()
