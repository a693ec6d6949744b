"""Fixtures of the elections tests: Georgia hosts the election; Austria (bob) and Germany (carol)
offer observers."""

from __future__ import annotations

from pathlib import Path

import pytest

from elections.models import Election, ObservationActivity
from states.models import State
from tests.conftest import make_state
from tests.elections.factories import ActivityFactory, ElectionFactory, days


@pytest.fixture(autouse=True)
def _private_files(private_files: Path) -> None:
    """Report PDFs go to a temporary private folder per test (``private_dir`` in the tests)."""


@pytest.fixture
def private_dir(tmp_path: Path) -> Path:
    return tmp_path / "private"


@pytest.fixture
def georgia(db: None) -> State:
    return make_state("GE", "Georgia", iso_alpha3="GEO")


@pytest.fixture
def election(georgia: State) -> Election:
    return ElectionFactory(state=georgia, date=days(60))


@pytest.fixture
def eom(election: Election) -> ObservationActivity:
    """An EOM opening in 18 days (offers still open), requesting 30 LTOs and 300 STOs."""
    return ActivityFactory(election=election, opened=days(18))


@pytest.fixture
def started_eom(georgia: State) -> ObservationActivity:
    """An EOM whose deployment started yesterday: offers closed."""
    return ActivityFactory(election=ElectionFactory(state=georgia, date=days(30)), opened=days(-1))


@pytest.fixture
def georgian_focal_point(georgia: State):  # type: ignore[no-untyped-def]
    from tests.conftest import _user

    return _user("giorgi", "focal-point", "GE")
