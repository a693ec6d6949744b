"""Django's PostgreSQL backend, plus hooks that run when a transaction is rolled back.

Django runs callbacks on commit (``transaction.on_commit``) but has none for a rollback. A file
stored next to a row (a CV, a report) must go when its row does: ``core.db.on_rollback(func)``
registers ``func`` to run if the transaction (or the savepoint) it was registered in is rolled
back, the mirror image of ``on_commit``. Everything else is Django's backend unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)


class DatabaseWrapper(base.DatabaseWrapper):
    """PostgreSQL with ``on_rollback``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run_on_rollback: list[tuple[set[str | None], Callable[[], None]]] = []

    def on_rollback(self, func: Callable[[], None]) -> None:
        """Run ``func`` if the current transaction, or a savepoint open now, is rolled back.

        Outside a transaction the write is already committed: there is nothing to undo."""
        if self.in_atomic_block:
            self.run_on_rollback.append((set(self.savepoint_ids), func))

    def _run_rollback_hooks(self, rolled_back: Callable[[set[str | None]], bool]) -> None:
        hooks = [func for sids, func in self.run_on_rollback if rolled_back(sids)]
        self.run_on_rollback = [(sids, func) for sids, func in self.run_on_rollback if not rolled_back(sids)]
        for func in hooks:
            try:
                func()
            except Exception:  # a failing hook must not hide the others, nor the rollback's cause
                logger.exception("a rollback hook failed")

    def commit(self) -> None:
        super().commit()
        self.run_on_rollback = []

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._run_rollback_hooks(lambda sids: True)

    def savepoint_rollback(self, sid: str) -> None:
        super().savepoint_rollback(sid)
        self._run_rollback_hooks(lambda sids: sid in sids)

    def close(self) -> None:
        # Closed inside a transaction: the server rolls it back.
        in_transaction = self.in_atomic_block
        try:
            super().close()
        finally:
            if in_transaction:
                self._run_rollback_hooks(lambda sids: True)
