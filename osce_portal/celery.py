"""The Celery application: configured from Django settings under the ``CELERY_`` namespace."""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_portal.settings.base")

app = Celery("osce_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def relay_pending_tasks_on_start(**_kwargs: Any) -> None:
    """A worker that starts (Redis back, or after a crash) has the task outbox relayed at once
    rather than at beat's next minute. Sent as a task: the worker's main process opens no
    database connection its pool would inherit."""
    app.send_task("core.tasks.relay_pending_tasks")
