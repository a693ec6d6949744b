"""generate_demo_data: synthetic elections, marked as demo, reproducible, replacing the previous ones."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from core.models import Event
from elections.models import Election, ObservationActivity, ObserverOffer
from tests.conftest import make_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def states(db: None) -> None:
    for code, name in [
        ("AT", "Austria"),
        ("DE", "Germany"),
        ("GE", "Georgia"),
        ("AM", "Armenia"),
        ("FR", "France"),
    ]:
        make_state(code, name)


def snapshot() -> list[tuple]:
    return list(
        Election.objects.order_by("state_id", "kind", "date").values_list("state_id", "kind", "date", "round")
    )


def test_generate_demo_data(states):
    out = StringIO()
    call_command("generate_demo_data", "--scale", "1", stdout=out)
    first_rounds = Election.objects.filter(round=1).count()
    assert first_rounds == 50
    assert not Election.objects.filter(is_demo=False).exists()
    assert ObservationActivity.objects.exists()
    assert ObserverOffer.objects.exists()
    # No host State offers to its own election.
    assert not ObserverOffer.objects.filter(state=F("activity__election__state")).exists()
    assert "demo elections" in out.getvalue()
    assert not Event.objects.filter(name="election.created").exists()
    before = snapshot()
    call_command("generate_demo_data", "--scale", "1", stdout=StringIO())
    assert snapshot() == before  # reproducible, and the previous demo rows were replaced


def test_real_elections_survive(states, georgia):
    from tests.elections.factories import ElectionFactory

    real = ElectionFactory(state=georgia)
    call_command("generate_demo_data", "--scale", "1", stdout=StringIO())
    assert Election.objects.filter(pk=real.pk, is_demo=False).exists()


def test_scale_must_be_positive(db):
    with pytest.raises(CommandError):
        call_command("generate_demo_data", "--scale", "0")


def test_no_states_no_demo(db):
    out = StringIO()
    call_command("generate_demo_data", "--scale", "1", stdout=out)
    assert "load_reference_data" in out.getvalue()
    assert not Election.objects.exists()
