"""A Celery worker killed (SIGKILL) in the middle of sending a vacancy's alerts: when a worker runs
again every focal point has the alert exactly once.

What makes it so: ``task_acks_late`` (the task is acknowledged only once it finished, so a killed
worker's task is delivered again), ``task_reject_on_worker_lost`` (a pool child killed: the worker
puts its task back at once) and ``send_once`` (each e-mail keyed per recipient: the run again skips
those already sent). E-mails go out slowly here (tests.faults.mail), so the kill lands mid-way.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from celery import Celery

from accounts.services import role_grant
from osce_portal.embedded import celery_broker_url
from tests.conftest import make_state
from tests.faults.mail import sent
from tests.faults.servers import Process, ThrowawayRedis, celery_worker, portal_env, wait_for
from tests.platform.helpers import database_url_of_this_test_db

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("faults")]

STATES = {"FR": "France", "IT": "Italy", "ES": "Spain", "PL": "Poland", "SE": "Sweden", "FI": "Finland"}
VISIBILITY_TIMEOUT = 6  # seconds: a dead worker's task is delivered again after this


def _focal_points() -> list[str]:
    emails = []
    for code, name in STATES.items():
        make_state(code, name)
        user, _created = role_grant(username=f"fp-{code.lower()}", role="focal-point", state_code=code)
        user.email = f"fp-{code.lower()}@example.org"
        user.save(update_fields=["email"])
        emails.append(user.email)
    return sorted(emails)


@pytest.mark.parametrize("killed", ["the whole worker", "its pool child"])
def test_alerts_go_out_exactly_once_after_a_worker_is_killed_mid_way(
    tmp_path: Path, make_vacancy: Any, killed: str
) -> None:
    vacancy = make_vacancy()  # published (its alert ran here, eagerly, to nobody yet)
    expected = _focal_points()  # the alert sent below, to a worker of our own Redis, goes to them
    mail_log = tmp_path / "mail.log"
    redis_server = ThrowawayRedis(tmp_path)
    redis_server.start()
    env = portal_env(
        database_url=database_url_of_this_test_db(),
        redis_url=redis_server.url,
        mail_log=mail_log,
        FAULT_MAIL_DELAY="0.4",
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
    )
    producer = Celery(broker=celery_broker_url(redis_server.url), set_as_current=False)  # not the tests' app
    processes: list[Process] = []
    try:
        first = celery_worker(env, tmp_path / "worker-1.log")
        processes.append(first)
        producer.send_task("secondments.tasks.vacancy_alert", args=[vacancy.pk])
        wait_for(lambda: len(sent(mail_log)) >= 2, timeout=90, what="the first alerts")
        delivered_before = time.monotonic()  # the worker took the task before its first e-mail
        if killed == "the whole worker":
            first.kill()  # SIGKILL to the main process and its pool child: nobody acknowledges
            # The message is restored to the queue by the next worker once the timeout passed.
            time.sleep(max(0.0, delivered_before + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
            second = celery_worker(env, tmp_path / "worker-2.log")
            processes.append(second)
        else:
            (child,) = psutil.Process(first.process.pid).children()
            child.send_signal(signal.SIGKILL)  # the main process sees its child lost
        assert len(sent(mail_log)) < len(expected), "the kill came too late to test anything"

        wait_for(lambda: len(sent(mail_log)) >= len(expected), timeout=90, what="the remaining alerts")
        time.sleep(2)  # a duplicate would show now
        assert sorted(message["to"][0] for message in sent(mail_log)) == expected
    finally:
        for process in processes:
            process.stop()
        producer.close()
        redis_server.kill()
