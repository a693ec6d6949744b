"""Fixtures of the secondment tests: a field operation hosted by Bosnia and Herzegovina, an open
vacancy there, and candidate data for Austria (bob) and Germany (carol)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from secondments import services
from secondments.models import Vacancy
from tests.conftest import make_pdf
from tests.secondments.factories import (
    DimensionFactory,
    FieldOfExpertiseFactory,
    FieldOperationFactory,
    StateFactory,
)

PDF = make_pdf()


@pytest.fixture(autouse=True)
def _private_files(private_files: Any) -> None:
    """CVs go to a temporary private folder per test."""


@pytest.fixture
def bosnia(db: None):  # type: ignore[no-untyped-def]
    return StateFactory()


@pytest.fixture
def operation(bosnia: Any):  # type: ignore[no-untyped-def]
    return FieldOperationFactory(host_state=bosnia)


@pytest.fixture
def dimension(db: None):  # type: ignore[no-untyped-def]
    return DimensionFactory()


@pytest.fixture
def expertise(db: None):  # type: ignore[no-untyped-def]
    return FieldOfExpertiseFactory()


@pytest.fixture
def vacancy_data(operation: Any, dimension: Any, expertise: Any) -> dict[str, Any]:
    return {
        "title": "Rule of Law Officer",
        "field_operation": operation,
        "duty_station": "Sarajevo",
        "appointment": "seconded",
        "grade": "S2",
        "field_of_expertise": expertise,
        "dimension": dimension,
        "posts": 1,
        "notice_language": "en",
        "description": "The Mission supports the judiciary of Bosnia and Herzegovina.",
        "requirements": "A law degree and five years of experience with courts.",
        "languages": ["en"],
        "deadline": timezone.localdate() + datetime.timedelta(days=20),
    }


@pytest.fixture
def make_vacancy(alice: Any, vacancy_data: dict[str, Any]):  # type: ignore[no-untyped-def]
    """``make_vacancy(publish=True, **overrides)``: a vacancy through the services."""

    def make(publish: bool = True, **overrides: Any) -> Vacancy:
        vacancy = services.vacancy_create(actor=alice, **{**vacancy_data, **overrides})
        if publish:
            vacancy = services.vacancy_publish(actor=alice, vacancy=vacancy)
        return vacancy

    return make


@pytest.fixture
def vacancy(make_vacancy: Any) -> Vacancy:
    return make_vacancy()


def candidate(code: str = "AT", n: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "given_name": "Anna",
        "family_name": f"Huber{n}",
        "email": f"anna.huber{n}@example.org",
        "nationality": code,
        "gender": "female",
        **extra,
    }
