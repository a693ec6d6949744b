"""The services of the missions app: every rule and refusal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from core.errors import Conflict, Invalid, NotAllowed
from core.models import AuditEntry
from missions import services
from missions.models import Figures, Pledge, Project
from tests.missions.factories import (
    BodyFactory,
    FieldOperationFactory,
    PledgeFactory,
    ProjectFactory,
)


def test_pledge_create_uses_the_focal_points_state(bob, db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory()
    pledge = services.pledge_create(project=project, actor=bob, amount_eur="1500", note="  thanks ")
    assert pledge.state_id == "AT"
    assert pledge.amount_eur == Decimal("1500.00")
    assert pledge.note == "thanks"


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_only_focal_points_pledge(request, db, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed):
        services.pledge_create(project=ProjectFactory(), actor=request.getfixturevalue(who), amount_eur="10")


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "0.001", None, "", Decimal("NaN"), "1e13"])
def test_bad_amounts(bob, db, amount) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as error:
        services.pledge_create(project=ProjectFactory(), actor=bob, amount_eur=amount)
    assert "amount_eur" in error.value.errors


def test_cancelled_project_conflicts(bob, db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Conflict):
        services.pledge_create(
            project=ProjectFactory(status=Project.Status.CANCELLED), actor=bob, amount_eur="10"
        )


def test_receipt_is_recorded_by_hr(alice, db) -> None:  # type: ignore[no-untyped-def]
    pledge = PledgeFactory(date=datetime.date(2026, 1, 1))
    services.pledge_record_receipt(pledge=pledge, actor=alice, received=datetime.date(2026, 2, 1))
    pledge.refresh_from_db()
    assert pledge.received == datetime.date(2026, 2, 1)
    assert pledge.received_amount_eur == pledge.amount_eur
    services.pledge_record_receipt(
        pledge=pledge, actor=alice, received=datetime.date(2026, 2, 2), amount_eur="500"
    )
    pledge.refresh_from_db()
    assert pledge.received_amount_eur == Decimal("500.00")
    assert AuditEntry.objects.filter(action="pledge.receipt_recorded").count() == 2


def test_receipt_refusals(alice, bob, db) -> None:  # type: ignore[no-untyped-def]
    pledge = PledgeFactory(date=datetime.date(2026, 1, 10))
    with pytest.raises(NotAllowed):
        services.pledge_record_receipt(pledge=pledge, actor=bob, received=datetime.date(2026, 2, 1))
    with pytest.raises(Invalid, match="before it was pledged"):
        services.pledge_record_receipt(pledge=pledge, actor=alice, received=datetime.date(2026, 1, 9))
    with pytest.raises(Invalid, match="future"):
        services.pledge_record_receipt(
            pledge=pledge, actor=alice, received=timezone.localdate() + datetime.timedelta(days=1)
        )
    with pytest.raises(Invalid):
        services.pledge_record_receipt(
            pledge=pledge, actor=alice, received=datetime.date(2026, 2, 1), amount_eur="-1"
        )


def test_figures_record_creates_then_updates(alice, db) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperationFactory()
    kwargs = {"operation": operation, "actor": alice, "as_of": datetime.date(2025, 1, 1), "local_staff": 50}
    services.figures_record(**kwargs, international_seconded=5)
    services.figures_record(**kwargs, international_seconded=7, unified_budget_eur=Decimal("1.00"))
    figures = Figures.objects.get()
    assert figures.international_seconded == 7
    assert figures.total_staff == 57
    assert figures.entered_by == alice
    assert list(
        AuditEntry.objects.filter(action__startswith="figures")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "figures.recorded",
        "figures.corrected",
    ]


def test_figures_refusals(alice, bob, db) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperationFactory()
    with pytest.raises(NotAllowed):
        services.figures_record(operation=operation, actor=bob, as_of=datetime.date(2025, 1, 1))
    with pytest.raises(Invalid):
        services.figures_record(
            operation=operation,
            actor=alice,
            as_of=datetime.date(2025, 1, 1),
            unified_budget_eur=Decimal("-1"),
        )
    with pytest.raises(Invalid):
        services.figures_record(
            operation=operation, actor=alice, as_of=datetime.date(2025, 1, 1), local_staff=-1
        )


def test_a_project_has_exactly_one_implementer(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError):
        ProjectFactory(body=BodyFactory())


def test_a_project_needs_an_implementer(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError):
        ProjectFactory(field_operation=None)


def test_the_database_refuses_a_non_positive_pledge(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError):
        PledgeFactory(amount_eur=Decimal("0"))


def test_pledged_percent(db) -> None:  # type: ignore[no-untyped-def]
    project = ProjectFactory(budget_eur=Decimal("1000"))
    PledgeFactory(project=project, amount_eur=Decimal("250"))
    PledgeFactory(project=project, amount_eur=Decimal("1000"))
    assert project.pledged_eur == Decimal("1250.00")
    assert project.pledged_percent == 125
    assert Pledge.objects.count() == 2


def test_operation_status_and_rename_chain(db) -> None:  # type: ignore[no-untyped-def]
    from missions.views import rename_chain

    first = FieldOperationFactory(established=datetime.date(1998, 7, 23), closed=datetime.date(2007, 6, 21))
    second = FieldOperationFactory(
        predecessor=first, established=datetime.date(2007, 6, 21), closed=datetime.date(2014, 12, 18)
    )
    third = FieldOperationFactory(predecessor=second, established=datetime.date(2014, 12, 18))
    assert first.status == "closed"
    assert third.status == "active"
    assert second.is_active(datetime.date(2014, 12, 17))
    assert not second.is_active(datetime.date(2014, 12, 18))
    assert rename_chain(second) == [first, second, third]
    assert third.successor_or_none() is None


def test_project_submit(alice, bob, db, dimensions) -> None:  # type: ignore[no-untyped-def]
    operation = FieldOperationFactory()
    project = services.project_submit(
        actor=alice,
        title=" Water ",
        dimension=dimensions["human"],
        budget_eur="5000",
        field_operation=operation,
    )
    assert project.title == "Water"
    assert project.status == Project.Status.SUBMITTED
    with pytest.raises(Invalid):
        services.project_submit(actor=alice, title="x", dimension=dimensions["human"], budget_eur="5000")
    with pytest.raises(Invalid):
        services.project_submit(
            actor=alice,
            title="x",
            dimension=dimensions["human"],
            budget_eur="5000",
            field_operation=operation,
            body=BodyFactory(),
        )
    with pytest.raises(Invalid):
        services.project_submit(
            actor=alice, title="x", dimension=dimensions["human"], budget_eur="0", field_operation=operation
        )
    with pytest.raises(Invalid):
        services.project_submit(
            actor=alice,
            title="x",
            dimension=dimensions["human"],
            budget_eur="10",
            field_operation=operation,
            starts=datetime.date(2027, 1, 1),
            ends=datetime.date(2026, 1, 1),
        )
    with pytest.raises(NotAllowed):
        services.project_submit(
            actor=bob, title="x", dimension=dimensions["human"], budget_eur="10", field_operation=operation
        )
