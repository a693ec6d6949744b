"""Writes of the missions app: pledges, their receipts, and an operation's figures.

Every service is keyword-only, atomic, validated (``full_clean``) and audited. Pages and the API
call the same functions, so they can never disagree on a rule.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import focal_state, is_hr
from core.api import Conflict
from core.audit import audit_record
from missions.models import FieldOperation, Figures, Pledge, Project

MAX_AMOUNT = Decimal("999999999999.99")


def _positive_amount(value: Any, field: str) -> Decimal:
    """``value`` as a positive amount in euros with at most two decimals, or a field error."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: [_("Enter an amount in euros, such as 25000 or 25000.50.")]}) from None
    if not amount.is_finite():
        raise ValidationError({field: [_("Enter an amount in euros, such as 25000 or 25000.50.")]})
    if amount <= 0:
        raise ValidationError({field: [_("The amount must be more than zero euros.")]})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: [_("The amount is too large.")]})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("The amount may have at most two decimal places (cents).")]})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def pledge_create(*, project: Project, user: Any, amount_eur: Any, note: str = "") -> Pledge:
    """A focal point pledges its own State's funds to ``project``.

    Rules: only a focal point pledges, and always for the State it acts for (PermissionDenied
    otherwise); the amount is a positive number of euros with at most two decimals
    (ValidationError); the project must still take pledges: submitted, approved or ongoing
    (Conflict). Writes an audit entry.
    """
    state = focal_state(user)
    if state is None:
        raise PermissionDenied(_("Only a national focal point may pledge, and only for its own State."))
    amount = _positive_amount(amount_eur, "amount_eur")
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.is_pledgeable:
        raise Conflict(
            _("This project is %(status)s and takes no more pledges.")
            % {"status": project.get_status_display()}
        )
    pledge = Pledge(
        project=project,
        state=state,
        amount_eur=amount,
        note=(note or "").strip(),
        date=timezone.localdate(),
        pledged_by=user,
    )
    pledge.full_clean()
    pledge.save()
    audit_record(
        actor=user,
        action="pledge.create",
        target=pledge,
        data={"project": project.pk, "state": state.code, "amount_eur": str(amount)},
    )
    return pledge


@transaction.atomic
def pledge_record_receipt(
    *, pledge: Pledge, user: Any, received: datetime.date, amount_eur: Any | None = None
) -> Pledge:
    """HR records that a pledge's money arrived: the date and the amount (the pledge's by default).

    Rules: HR only (PermissionDenied); the date may not be before the pledge nor in the future, and
    the amount is positive (ValidationError). Recording again corrects the receipt. Audited.
    """
    if not is_hr(user):
        raise PermissionDenied(_("Only human resources record the receipt of a pledge."))
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    amount = _positive_amount(
        pledge.amount_eur if amount_eur in (None, "") else amount_eur, "received_amount_eur"
    )
    if not isinstance(received, datetime.date):
        raise ValidationError({"received": [_("Enter a date.")]})
    if received < pledge.date:
        raise ValidationError({"received": [_("The money cannot arrive before it was pledged.")]})
    if received > timezone.localdate():
        raise ValidationError({"received": [_("The date of receipt cannot be in the future.")]})
    pledge.received = received
    pledge.received_amount_eur = amount
    pledge.full_clean()
    pledge.save(update_fields=["received", "received_amount_eur"])
    audit_record(
        actor=user,
        action="pledge.record_receipt",
        target=pledge,
        data={"received": received.isoformat(), "amount_eur": str(amount)},
    )
    return pledge


@transaction.atomic
def figures_record(
    *,
    operation: FieldOperation,
    user: Any,
    as_of: datetime.date,
    offices: int | None = None,
    international_seconded: int = 0,
    international_contracted: int = 0,
    local_staff: int = 0,
    unified_budget_eur: Decimal | None = None,
    extra_budgetary_eur: Decimal | None = None,
    source: str = "",
) -> Figures:
    """HR records (or corrects) an operation's figures as of a date; one set per operation and date.

    Rules: HR only (PermissionDenied); counts and amounts are not negative (ValidationError). Audited.
    """
    if not is_hr(user):
        raise PermissionDenied(_("Only human resources record an operation's figures."))
    figures, created = Figures.objects.select_for_update().get_or_create(
        operation=operation,
        as_of=as_of,
        defaults={"entered_by": user},
    )
    figures.offices = offices
    figures.international_seconded = international_seconded
    figures.international_contracted = international_contracted
    figures.local_staff = local_staff
    figures.unified_budget_eur = unified_budget_eur
    figures.extra_budgetary_eur = extra_budgetary_eur
    figures.source = source
    figures.entered_by = user
    figures.full_clean()
    figures.save()
    audit_record(
        actor=user,
        action="figures.create" if created else "figures.update",
        target=figures,
        data={
            "operation": operation.slug,
            "as_of": as_of.isoformat(),
            "international_staff": figures.international_staff,
            "local_staff": local_staff,
        },
    )
    return figures


@transaction.atomic
def project_submit(
    *,
    user: Any,
    title: str,
    dimension: Any,
    budget_eur: Any,
    field_operation: FieldOperation | None = None,
    body: Any = None,
    description: str = "",
    starts: datetime.date | None = None,
    ends: datetime.date | None = None,
    status: str = Project.Status.SUBMITTED,
) -> Project:
    """Record a project submitted by a field operation or an institution (HR or the system).

    Rules: exactly one implementer, a positive budget, an end after the start (ValidationError);
    only HR, or the system (``user=None``, e.g. demo data), submits (PermissionDenied). Audited.
    """
    if user is not None and not is_hr(user):
        raise PermissionDenied(_("Only human resources record projects."))
    if (field_operation is None) == (body is None):
        raise ValidationError(
            {"field_operation": [_("Name either the field operation or the institution, not both.")]}
        )
    project = Project(
        title=(title or "").strip(),
        field_operation=field_operation,
        body=body,
        dimension=dimension,
        description=description,
        budget_eur=_positive_amount(budget_eur, "budget_eur"),
        starts=starts,
        ends=ends,
        status=status,
    )
    project.full_clean()
    project.save()
    audit_record(
        actor=user,
        action="project.submit",
        target=project,
        data={"implementer": project.implementer_slug, "budget_eur": str(project.budget_eur)},
    )
    return project
