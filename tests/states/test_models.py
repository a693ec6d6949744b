"""Participation over time: the half-open period, in the queryset and on the model."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError

from states.models import State
from tests.states.factories import StateFactory

JOINED = datetime.date(2000, 11, 10)
LEFT = datetime.date(2006, 6, 3)


@pytest.mark.parametrize(
    ("day", "participating"),
    [
        (JOINED - datetime.timedelta(days=1), False),
        (JOINED, True),
        (LEFT - datetime.timedelta(days=1), True),
        (LEFT, False),  # left is the first day out
    ],
)
def test_participation_is_half_open(db: None, day: datetime.date, participating: bool) -> None:
    state = StateFactory(code="CSXX", joined=JOINED, left=LEFT)
    assert state.participates_on(day) is participating
    assert State.objects.participating(day).filter(code="CSXX").exists() is participating


def test_former_and_search(db: None) -> None:
    StateFactory(code="CSXX", name="Serbia and Montenegro", iso_alpha3="SCG", joined=JOINED, left=LEFT)
    StateFactory(code="RS", name="Serbia", iso_alpha3="SRB", joined=LEFT)
    today = datetime.date(2026, 1, 1)
    assert list(State.objects.former(today).values_list("code", flat=True)) == ["CSXX"]
    assert set(State.objects.search("serbia").values_list("code", flat=True)) == {"CSXX", "RS"}
    assert list(State.objects.search("rs").values_list("code", flat=True)) == ["RS"]
    assert list(State.objects.search("scg").values_list("code", flat=True)) == ["CSXX"]
    assert State.objects.search("  ").count() == 2


def test_the_database_keeps_the_invariants(db: None) -> None:
    with pytest.raises(IntegrityError):
        State.objects.create(code="cs", name="lower", iso_alpha3="XXX", joined=JOINED)


def test_left_must_follow_joined(db: None) -> None:
    with pytest.raises(IntegrityError):
        State.objects.create(code="QQ", name="Q", iso_alpha3="QQQ", joined=LEFT, left=JOINED)
