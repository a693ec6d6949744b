"""Secondments: created by a selection, renewed a year at a time within the service limits, and
the person records the limits are counted on (HR merges two records of one person).

Limits: 7 years in one field operation, 10 years of OSCE service in all, over every secondment of
the person, checked at selection and at each renewal with the person's row locked, so two
concurrent selections or renewals of one person cannot both pass.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.db import atomic_retry
from core.errors import Conflict, Invalid
from core.events import event_publish
from secondments import policies
from secondments.models import Nomination, Person, PersonEmail, Secondment, SelectionSlot, Vacancy, add_years
from secondments.services.common import Actor, today


def _years(secondments: object) -> int:
    """Years covered by ``secondments`` (a queryset): each its first year and its renewals."""
    total = secondments.aggregate(n=Sum("renewals"))["n"] or 0  # type: ignore[attr-defined]
    return total + secondments.count()  # type: ignore[attr-defined]


def limits_check(*, person: Person, field_operation_id: int | None, adding: int = 1) -> None:
    """409 when ``adding`` more years would take ``person`` past 10 years of OSCE service, or past
    7 years in the field operation (when there is one). The person's row must be locked."""
    mine = Secondment.objects.filter(person=person)
    if _years(mine) + adding > Secondment.MAX_YEARS_OF_SERVICE:
        raise Conflict(
            _("Refused: it would take %(person)s past 10 years of OSCE service.") % {"person": person}
        )
    here = mine.filter(field_operation_id=field_operation_id)
    if field_operation_id is not None and _years(here) + adding > Secondment.MAX_YEARS_IN_OPERATION:
        raise Conflict(
            _("Refused: it would take %(person)s past 7 years in one field operation.") % {"person": person}
        )


def _person_for(nomination: Nomination) -> Person:
    """The person record of a selected candidate, found by any e-mail it was nominated with, or
    created; returned locked (lock order: after the vacancy and the nomination)."""
    email = nomination.email.strip().lower()
    known = PersonEmail.objects.filter(email__iexact=email).values_list("person_id", flat=True).first()
    if known is None:
        try:
            with transaction.atomic():
                person = Person.objects.create(
                    given_name=nomination.given_name, family_name=nomination.family_name
                )
                PersonEmail.objects.create(person=person, email=email)
                known = person.pk
        except IntegrityError:  # a concurrent selection of the same person created it first
            known = PersonEmail.objects.filter(email__iexact=email).values_list("person_id", flat=True).get()
    return Person.objects.select_for_update(of=("self",)).get(pk=known)


def secondment_create_for_selection(
    *, actor: Actor, vacancy: Vacancy, nomination: Nomination, start: datetime.date | None
) -> bool:
    """The one-year secondment of a nomination HR has just selected (part of ``nomination_decide``,
    with the vacancy and the nomination locked). Returns True when it filled the last post.

    409: every post is filled already, or the person would pass the service limits.
    """
    taken = SelectionSlot.objects.filter(vacancy=vacancy).count()
    if taken >= vacancy.posts:
        raise Conflict(_("All %(n)d posts of this vacancy are already filled.") % {"n": vacancy.posts})
    person = _person_for(nomination)
    limits_check(person=person, field_operation_id=vacancy.field_operation_id)
    try:
        with transaction.atomic():
            SelectionSlot.objects.create(
                vacancy=vacancy, slot=taken + 1, posts=vacancy.posts, nomination=nomination
            )
    except IntegrityError as error:
        raise Conflict(
            _("All %(n)d posts of this vacancy are already filled.") % {"n": vacancy.posts}
        ) from error
    begin = start or today()
    nomination.person = person
    nomination.save(update_fields=["person"])
    secondment = Secondment.objects.create(
        nomination=nomination,
        state_id=nomination.state_id,
        partner_id=nomination.partner_id,
        vacancy=vacancy,
        field_operation_id=vacancy.field_operation_id,
        person=person,
        start=begin,
        end=add_years(begin, 1),
    )
    audit_record(
        actor=actor,
        action="secondment.created",
        target=secondment,
        data={"start": begin.isoformat(), "end": secondment.end.isoformat(), "vacancy": vacancy.reference},
    )
    if taken + 1 < vacancy.posts:
        return False
    vacancy.status = Vacancy.Status.FILLED
    vacancy.closed = vacancy.closed or timezone.now()
    vacancy.save(update_fields=["status", "closed", "updated"])
    audit_record(actor=actor, action="vacancy.filled", target=vacancy)
    event_publish(
        name="vacancy.closed",
        data={
            "reference": vacancy.reference,
            "title": vacancy.title,
            "status": vacancy.status,
            "deadline": vacancy.deadline.isoformat(),
        },
    )
    return True


@atomic_retry
def secondment_renew(*, actor: Actor, secondment: Secondment) -> Secondment:
    """HR renews a secondment by one year, during its current year.

    409: the current year has not begun yet (it was renewed already: a retried request renews
    once), or the renewal would pass 7 years in one field operation or 10 years of OSCE service.
    Locks the person, then the secondment.
    """
    policies.secondment_manage(actor, secondment)
    person_id = Secondment.objects.filter(pk=secondment.pk).values_list("person_id", flat=True).get()
    person = Person.objects.select_for_update(of=("self",)).get(pk=person_id)
    secondment = Secondment.objects.select_for_update(of=("self",)).get(pk=secondment.pk)
    if secondment.person_id != person.pk:  # merged meanwhile
        raise Conflict(_("Someone else changed this at the same moment: please try again."))
    current_year_starts = add_years(secondment.end, -1)
    if today() < current_year_starts:
        raise Conflict(
            _(
                "Already renewed until %(end)s: a secondment is renewed during its current year "
                "(from %(from)s)."
            )
            % {"end": secondment.end.isoformat(), "from": current_year_starts.isoformat()}
        )
    limits_check(person=person, field_operation_id=secondment.field_operation_id)
    previous = secondment.end
    secondment.end = add_years(secondment.end, 1)
    secondment.renewals += 1
    secondment.save(update_fields=["end", "renewals", "updated"])
    audit_record(
        actor=actor,
        action="secondment.renewed",
        target=secondment,
        data={"previous": previous.isoformat(), "end": secondment.end.isoformat()},
    )
    return secondment


@atomic_retry
def person_merge(*, actor: Actor, person: Person, into: Person) -> Person:
    """HR merges two records of one person (a new e-mail address made a second one): ``person``'s
    e-mails, nominations and secondments move to ``into`` and ``person`` goes. The service limits
    then count over both. 400: a record merged into itself."""
    policies.secondment_manage(actor)
    if person.pk == into.pk:
        raise Invalid(_("Choose two different records of the person."))
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update(of=("self",))
        .filter(pk__in=[person.pk, into.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise Conflict(_("Someone else changed this at the same moment: please try again."))
    into = locked[into.pk]
    moved = {
        "emails": PersonEmail.objects.filter(person_id=person.pk).update(person=into),
        "secondments": Secondment.objects.filter(person_id=person.pk).update(person=into),
        "nominations": Nomination.objects.filter(person_id=person.pk).update(person=into),
    }
    audit_record(actor=actor, action="person.merged", target=into, data={"merged": person.pk, **moved})
    Person.objects.filter(pk=person.pk).delete()
    return into


__all__ = ["limits_check", "person_merge", "secondment_create_for_selection", "secondment_renew"]
