"""The task outbox: a task asked for by a change is written with the change and survives a down
broker; the relay sends what is pending once Redis is back, each row once."""

from __future__ import annotations

from threading import Thread
from typing import Any

import pytest
from celery import current_app
from celery.signals import worker_ready
from django.db import connection, transaction

from core import tasks
from core.models import PendingTask
from osce_portal.celery import relay_pending_tasks_on_start

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "core.tasks.record_heartbeat"


class Recorder:
    """Stands in for ``apply_async``: records what was sent, or fails like a down broker."""

    def __init__(self, *, down: bool = False) -> None:
        self.down = down
        self.sent: list[list[Any]] = []

    def __call__(self, *, args: list[Any], retry: bool) -> None:
        if self.down:
            raise ConnectionError("Redis is down")
        self.sent.append(args)


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(current_app.tasks[NAME], "apply_async", recorder)
    return recorder


def test_a_task_is_sent_when_its_transaction_commits_and_its_row_goes(broker: Recorder) -> None:
    with transaction.atomic():
        tasks.enqueue(NAME, "probe")
        assert PendingTask.objects.filter(name=NAME, args=["probe"]).exists()
        assert broker.sent == []  # not before the commit
    assert broker.sent == [["probe"]]
    assert not PendingTask.objects.exists()


def test_a_rolled_back_change_asks_for_no_task(broker: Recorder) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.enqueue(NAME, "probe")
        raise RuntimeError
    assert broker.sent == []
    assert not PendingTask.objects.exists()


def test_with_the_broker_down_the_task_stays_pending_and_the_relay_sends_it_once(broker: Recorder) -> None:
    broker.down = True
    with transaction.atomic():
        tasks.enqueue(NAME, "first")
        tasks.enqueue(NAME, "second")
    assert broker.sent == []
    assert PendingTask.objects.count() == 2  # committed with the change, not lost

    assert tasks.relay_pending_tasks() == 0  # still down: nothing sent, nothing dropped
    assert PendingTask.objects.count() == 2

    broker.down = False
    assert tasks.relay_pending_tasks() == 2
    assert broker.sent == [["first"], ["second"]]
    assert not PendingTask.objects.exists()
    assert tasks.relay_pending_tasks() == 0  # a second run sends nothing again
    assert broker.sent == [["first"], ["second"]]


def test_a_row_locked_by_another_sender_is_left_to_it(broker: Recorder) -> None:
    broker.down = True
    tasks.enqueue(NAME, "probe")
    broker.down = False
    row = PendingTask.objects.get()
    with transaction.atomic():
        PendingTask.objects.select_for_update().get(pk=row.pk)  # another relay is sending it
        # A separate connection: the relay in another thread sees the lock and skips the row.
        results: list[int] = []
        thread = Thread(target=lambda: results.append(_relay_in_own_connection()))
        thread.start()
        thread.join()
    assert results == [0]
    assert broker.sent == []


def _relay_in_own_connection() -> int:
    try:
        return tasks.relay_pending_tasks()
    finally:
        connection.close()


def test_the_relay_runs_every_minute_and_when_a_worker_starts() -> None:
    assert current_app.conf.beat_schedule["relay-pending-tasks"]["task"] == "core.tasks.relay_pending_tasks"
    assert relay_pending_tasks_on_start in [receiver() for _key, receiver in worker_ready.receivers]
