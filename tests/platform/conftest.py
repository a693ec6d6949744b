"""Fixtures of the kept pages' tests (``test_page_cache_anonymous``, ``test_door_pages``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches

from missions.models import FieldOperation
from tests.missions.factories import FieldOperationFactory
from tests.secondments.factories import VacancyFactory


@pytest.fixture
def empty_page_caches() -> Iterator[None]:
    """Page fragments and kept pages emptied before and after the test."""
    for alias in ("fragments", "pages"):
        caches[alias].clear()
    yield
    for alias in ("fragments", "pages"):
        caches[alias].clear()


@pytest.fixture
def operation(db: None) -> FieldOperation:
    """A field operation with one vacancy: on ``/vacancies/``, ``/missions/`` and its own page."""
    operation = FieldOperationFactory(name="Mission to Cacheland")
    VacancyFactory(field_operation=operation, title="Kept Officer")
    return operation
