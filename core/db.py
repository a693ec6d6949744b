"""Transactions that survive a lost race: a deadlock or serialisation failure is retried once,
then answered as a conflict (409), never as a server error. And ``on_rollback``, the mirror image of
``transaction.on_commit``."""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.utils.translation import gettext as _

from core.errors import Conflict

logger = logging.getLogger(__name__)

# PostgreSQL's SQLSTATEs for a transaction that lost a race and may simply be run again.
RETRYABLE = {"40P01", "40001"}  # deadlock_detected, serialization_failure

# Before the second run, a short random pause: the winner, woken when the loser's locks were freed,
# takes the rows it waited for; a retry started at once can take one of them first (PostgreSQL keeps
# no queue on a row whose locker aborted) and close the same circle again.
RETRY_PAUSE = (0.01, 0.05)  # seconds


def _retryable(error: OperationalError) -> bool:
    cause = error.__cause__
    return getattr(cause, "pgcode", None) in RETRYABLE


def atomic_retry[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in its own transaction; on a deadlock or serialisation failure run it once more,
    and if it loses again raise ``Conflict``.

    Inside an outer transaction nothing can be retried (the outer one is already aborted), so the
    failure becomes ``Conflict`` at once. Every write service that takes row locks wears this.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        attempts = 1 if connection.in_atomic_block else 2
        for attempt in range(1, attempts + 1):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except OperationalError as error:
                if not _retryable(error):
                    raise
                logger.warning("%s lost a race (attempt %d): %s", func.__qualname__, attempt, error)
                if attempt < attempts:
                    time.sleep(random.uniform(*RETRY_PAUSE))
        raise Conflict(_("Someone else changed this at the same moment: please try again."))

    return wrapper


def on_rollback(func: Callable[[], None], using: str = DEFAULT_DB_ALIAS) -> None:
    """Run ``func`` if the current transaction (or the savepoint open now) is rolled back; outside
    a transaction, never. The portal's database backend keeps the hooks (core/postgresql/base.py)."""
    transaction.get_connection(using).on_rollback(func)  # type: ignore[attr-defined]


def analyse(using: str = DEFAULT_DB_ALIAS) -> None:
    """After a bulk load: ``VACUUM (ANALYZE)`` (``ANALYZE`` alone inside a transaction, where
    VACUUM cannot run).

    Without fresh statistics, until autovacuum comes by, PostgreSQL plans for the tables as it last
    saw them: after ``generate_demo_data`` at scale 10, the open vacancies' list read and sorted
    every open row (a bitmap scan planned for 2 rows) instead of walking its index to the page.
    Without the vacuum, the pages just written are not marked all-visible, and an index-only scan
    (a list's count, ``vacancy_status_deadline_inc``) visits the table for every row anyway."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
