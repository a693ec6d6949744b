"""Writes of the missions app: pledges, their receipts, an operation's figures, projects.

Every service is keyword-only, atomic, validated (``full_clean``) and audited, and asks
``missions.policies`` who may act. Pages, the API and the admin call the same functions, so they
can never disagree on a rule.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.db import atomic_retry
from core.errors import Conflict, Invalid, full_clean
from missions import policies
from missions.models import FieldOperation, Figures, Pledge, Project

MAX_AMOUNT = Decimal("999999999999.99")


def _positive_amount(value: Any, field: str) -> Decimal:
    """``value`` as a positive amount in euros with at most two decimals, or a field error."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise Invalid(errors={field: _("Enter an amount in euros, such as 25000 or 25000.50.")}) from None
    if not amount.is_finite():
        raise Invalid(errors={field: _("Enter an amount in euros, such as 25000 or 25000.50.")})
    if amount <= 0:
        raise Invalid(errors={field: _("The amount must be more than zero euros.")})
    if amount > MAX_AMOUNT:
        raise Invalid(errors={field: _("The amount is too large.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(errors={field: _("The amount may have at most two decimal places (cents).")})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def pledge_create(*, actor: Any, project: Project, amount_eur: Any, note: str = "") -> Pledge:
    """A focal point pledges its own State's funds to ``project``.

    Rules: only a participating State's focal point pledges, and always for the State it acts for
    (NotAllowed otherwise); the amount is a positive number of euros with at most two decimals
    (Invalid); the project must still take pledges: submitted, approved or ongoing (Conflict).
    Writes an audit entry.
    """
    state = policies.pledge_create(actor)
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
        pledged_by=actor,
    )
    full_clean(pledge)
    pledge.save()
    audit_record(
        actor=actor,
        action="pledge.created",
        target=pledge,
        data={"project": project.pk, "state": state.code, "amount_eur": str(amount)},
    )
    return pledge


@transaction.atomic
def pledge_record_receipt(
    *, actor: Any, pledge: Pledge, received: datetime.date, amount_eur: Any | None = None
) -> Pledge:
    """HR records that a pledge's money arrived: the date and the amount (the pledge's by default).

    Rules: HR only (NotAllowed); the date may not be before the pledge nor in the future, and
    the amount is positive (Invalid). Recording again corrects the receipt. Audited.
    """
    policies.hr_only(actor)
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    amount = _positive_amount(pledge.amount_eur if amount_eur in (None, "") else amount_eur, "amount_eur")
    if not isinstance(received, datetime.date):
        raise Invalid(errors={"received": _("Enter a date.")})
    if received < pledge.date:
        raise Invalid(errors={"received": _("The money cannot arrive before it was pledged.")})
    if received > timezone.localdate():
        raise Invalid(errors={"received": _("The date of receipt cannot be in the future.")})
    pledge.received = received
    pledge.received_amount_eur = amount
    full_clean(pledge)
    pledge.save(update_fields=["received", "received_amount_eur"])
    audit_record(
        actor=actor,
        action="pledge.receipt_recorded",
        target=pledge,
        data={"received": received.isoformat(), "amount_eur": str(amount)},
    )
    return pledge


@transaction.atomic
def figures_record(
    *,
    actor: Any,
    operation: FieldOperation,
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

    Rules: HR only (NotAllowed); counts and amounts are not negative (Invalid). Audited.
    """
    policies.hr_only(actor)
    figures, created = Figures.objects.select_for_update().get_or_create(
        operation=operation,
        as_of=as_of,
        defaults={"entered_by": actor},
    )
    figures.offices = offices
    figures.international_seconded = international_seconded
    figures.international_contracted = international_contracted
    figures.local_staff = local_staff
    figures.unified_budget_eur = unified_budget_eur
    figures.extra_budgetary_eur = extra_budgetary_eur
    figures.source = source
    figures.entered_by = actor
    full_clean(figures)
    figures.save()
    audit_record(
        actor=actor,
        action="figures.recorded" if created else "figures.corrected",
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
    actor: Any,
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

    Rules: exactly one implementer, a positive budget, an end after the start (Invalid); only HR,
    or the system (``actor=None``, e.g. demo data), submits (NotAllowed). Audited.
    """
    policies.project_manage(actor)
    _one_implementer(field_operation, body)
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
    full_clean(project)
    project.save()
    audit_record(
        actor=actor,
        action="project.submitted",
        target=project,
        data={"implementer": project.implementer_slug, "budget_eur": str(project.budget_eur)},
    )
    return project


def _one_implementer(field_operation: FieldOperation | None, body: Any) -> None:
    if (field_operation is None) == (body is None):
        raise Invalid(
            errors={"field_operation": _("Name either the field operation or the institution, not both.")}
        )


PROJECT_FIELDS = (
    "title", "field_operation", "body", "dimension", "description", "budget_eur", "starts", "ends", "status",
)  # fmt: skip


@atomic_retry
def project_update(*, actor: Any, project: Project, **changes: Any) -> Project:
    """HR edits a project: its title, implementer, dimension, description, budget, dates, status.

    Rules: HR only (NotAllowed); exactly one implementer, a positive budget, an end after the start,
    a known status (Invalid). Only the given fields change. Audited with the changed fields.
    """
    policies.project_manage(actor)
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise Invalid(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "budget_eur" in changes:
        changes["budget_eur"] = _positive_amount(changes["budget_eur"], "budget_eur")
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
    changed = {name: value for name, value in changes.items() if getattr(project, name) != value}
    for name, value in changed.items():
        setattr(project, name, value)
    _one_implementer(project.field_operation, project.body)
    full_clean(project)
    project.save()
    audit_record(
        actor=actor,
        action="project.updated",
        target=project,
        data={name: str(getattr(value, "pk", value)) for name, value in changed.items()},
    )
    return project
