"""Fault tests: real services (PostgreSQL, Redis, Celery workers, a web server) failing under load.

Every test here is marked ``faults`` (``make faults`` runs them alone; ``make test`` runs them with
the rest). The servers they kill or restart are their own throwaway ones (a redis-server on a
socket in a temporary folder, a pgserver PostgreSQL in a temporary folder): never the machine's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# The secondment fixtures (a field operation in Bosnia and Herzegovina, make_vacancy, ...).
from tests.secondments.conftest import (  # noqa: F401
    _private_files,
    bosnia,
    dimension,
    expertise,
    make_vacancy,
    operation,
    vacancy_data,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.faults)
