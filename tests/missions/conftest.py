"""Fixtures of the missions tests: the three dimensions and the host States of the reference."""

from __future__ import annotations

import datetime

import pytest

from states.models import Dimension, State
from tests.conftest import make_state

# Every host_state code of missions/reference/field_operations.csv.
HOST_STATES = {
    "AL": "Albania",
    "AM": "Armenia",
    "AZ": "Azerbaijan",
    "BA": "Bosnia and Herzegovina",
    "BY": "Belarus",
    "EE": "Estonia",
    "GE": "Georgia",
    "HR": "Croatia",
    "KG": "Kyrgyzstan",
    "KZ": "Kazakhstan",
    "LV": "Latvia",
    "MD": "Moldova",
    "ME": "Montenegro",
    "MK": "North Macedonia",
    "RS": "Serbia",
    "RU": "Russian Federation",
    "TJ": "Tajikistan",
    "TM": "Turkmenistan",
    "UA": "Ukraine",
    "UZ": "Uzbekistan",
}

DIMENSIONS = (
    ("politico-military", "Politico-military", 1),
    ("economic-environmental", "Economic and environmental", 2),
    ("human", "Human", 3),
)


@pytest.fixture
def dimensions(db: None) -> dict[str, Dimension]:
    result = {}
    for slug, name, order in DIMENSIONS:
        result[slug], _ = Dimension.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
    return result


@pytest.fixture
def host_states(db: None) -> dict[str, State]:
    return {
        code: make_state(code, name, joined=datetime.date(1992, 1, 30)) for code, name in HOST_STATES.items()
    }


@pytest.fixture
def reference_loaded(dimensions: dict[str, Dimension], host_states: dict[str, State]) -> list[str]:
    """The real field operations, loaded as ``load_reference_data`` does (after the States)."""
    from missions import reference

    return reference.load()
