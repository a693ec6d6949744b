"""Nominations: a focal point submits, updates or withdraws its candidate; HR decides.

Lock order everywhere in the cycle: vacancy, nomination, person, secondment (``of=("self",)``, one
table at a time), so two writes never wait on each other in a circle; a lost race that PostgreSQL
still reports is retried once by ``atomic_retry`` and then answered 409.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.db import atomic_retry
from core.errors import Conflict, Invalid, full_clean
from core.events import event_publish
from core.files import pdf_check, stored_or_removed
from secondments import policies
from secondments.models import Nomination, NominationChange, Vacancy
from secondments.services.common import Actor, enqueue, too_far, user_or_none
from secondments.services.secondments import secondment_create_for_selection
from secondments.services.vacancies import close_locked
from states.models import Partner, State

CV_MAX_BYTES = 5 * 1024 * 1024


def cv_check(cv: UploadedFile | None) -> None:
    """A CV is a readable PDF of at most 5 MB (400 otherwise)."""
    if cv is not None:
        pdf_check(cv, field="cv", max_bytes=CV_MAX_BYTES)


def _cv_storage() -> object:
    return Nomination._meta.get_field("cv").storage  # type: ignore[attr-defined]


def _lock_vacancy(vacancy_id: int) -> Vacancy:
    return (
        Vacancy.objects.select_for_update(of=("self",)).select_related("field_operation").get(pk=vacancy_id)
    )


def _lock_nomination(nomination_id: int) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("state", "partner")
        .get(pk=nomination_id)
    )


def _lock_both(nomination: Nomination) -> tuple[Vacancy, Nomination]:
    """Lock the nomination's vacancy, then the nomination (the cycle's lock order)."""
    vacancy = _lock_vacancy(nomination.vacancy_id)
    locked = _lock_nomination(nomination.pk)
    locked.vacancy = vacancy
    return vacancy, locked


def _nominator_rules(
    *, vacancy: Vacancy, nominator: State | Partner, nationality: State | Partner | None
) -> None:
    """Who may be nominated by whom (400): a State its nationals, a Partner its nationals to the
    seconded S1/S2 posts open to Partners, never a national of the duty station's host State to an
    international post."""
    if isinstance(nominator, Partner):
        if not vacancy.accepts_partners:
            raise Invalid(
                _(
                    "Partners for Co-operation nominate only to seconded S1 and S2 posts of vacancies "
                    "open to Partners; this vacancy (%(grade)s) is not open to Partners."
                )
                % {"grade": vacancy.grade}
            )
        if not isinstance(nationality, Partner) or nationality.pk != nominator.pk:
            raise Invalid(
                errors={
                    "nationality": _("%(partner)s nominates its own nationals only: give %(code)s.")
                    % {"partner": nominator.name, "code": nominator.pk}
                }
            )
        return
    if not isinstance(nationality, State) or nationality.pk != nominator.pk:
        raise Invalid(
            errors={
                "nationality": _(
                    "A State nominates its own nationals only: the candidate must be a national of %(state)s."
                )
                % {"state": nominator.name}
            }
        )
    if vacancy.is_international and vacancy.host_state_id and nationality.pk == vacancy.host_state_id:
        raise Invalid(
            errors={
                "nationality": _(
                    "Nationals of the duty station's host State cannot take an international post."
                )
            }
        )


def _not_accepting(vacancy: Vacancy) -> Conflict:
    if vacancy.status == Vacancy.Status.OPEN:
        return Conflict(
            _("The deadline for nominations has passed (23:59 Vienna time on %(date)s).")
            % {"date": vacancy.deadline.isoformat()}
        )
    return Conflict(_("This vacancy is not open for nominations."))


def _history(nomination: Nomination, status: str, actor: Actor, reason: str = "") -> None:
    NominationChange.objects.create(
        nomination=nomination, status=status, by=user_or_none(actor), reason=reason
    )


@atomic_retry
def nomination_submit(
    *,
    actor: Actor,
    vacancy: Vacancy,
    given_name: str,
    family_name: str,
    email: str,
    nationality: State | Partner | None,
    gender: str,
    motivation: str = "",
    cv: UploadedFile | None = None,
) -> Nomination:
    """A focal point nominates a candidate of its State (or Partner) to an open vacancy.

    The nominating State or Partner is the actor's own, never one given by the caller.
    409: the vacancy isn't open or its deadline passed; the candidate (by e-mail) is already
    nominated to it by the same State or Partner. 400: the nationality, host-State and Partner
    rules; a CV that is not a readable PDF of at most 5 MB.
    """
    nominator = policies.nomination_submit(actor, vacancy)
    vacancy = _lock_vacancy(vacancy.pk)
    if not vacancy.accepting_nominations:
        raise _not_accepting(vacancy)
    _nominator_rules(vacancy=vacancy, nominator=nominator, nationality=nationality)
    cv_check(cv)
    email = (email or "").strip()
    is_partner = isinstance(nominator, Partner)
    own = {"partner": nominator} if is_partner else {"state": nominator}
    duplicate = _("This candidate is already nominated to this vacancy by %(nominator)s.") % {
        "nominator": nominator.name
    }
    if Nomination.objects.filter(
        vacancy=vacancy, email__iexact=email, anonymised__isnull=True, **own
    ).exists():
        raise Conflict(duplicate)
    nomination = Nomination(
        vacancy=vacancy,
        nationality=nationality if isinstance(nationality, State) else None,
        given_name=given_name,
        family_name=family_name,
        email=email,
        gender=gender,
        motivation=motivation,
        submitted_by=user_or_none(actor),
        **own,
    )
    full_clean(nomination, exclude=["cv", "vacancy"], validate_constraints=False)
    stored: list[str] = []
    with stored_or_removed(_cv_storage(), stored):  # type: ignore[arg-type]
        if cv is not None:
            nomination.cv.save("cv.pdf", cv, save=False)
            stored.append(nomination.cv.name or "")
        try:
            with transaction.atomic():
                nomination.save()
        except IntegrityError as error:  # a concurrent request of the same State nominated them
            raise Conflict(duplicate) from error
        _history(nomination, Nomination.Status.SUBMITTED, actor)
        audit_record(
            actor=actor,
            action="nomination.submitted",
            target=nomination,
            data={"vacancy": vacancy.reference, "nominator": nomination.nominator_code},
        )
    enqueue("secondments.tasks.nomination_received", nomination.pk)
    return nomination


@atomic_retry
def nomination_update(
    *, actor: Actor, nomination: Nomination, motivation: str | None = None, cv: UploadedFile | None = None
) -> Nomination:
    """The nominating State (or Partner) updates an open nomination's motivation or CV while the
    vacancy takes nominations. 409 after the deadline or once decided; 400 for a bad CV."""
    policies.nomination_change(actor, nomination)
    vacancy, nomination = _lock_both(nomination)
    if not nomination.is_open:
        raise Conflict(_("Only a submitted or shortlisted nomination can be updated."))
    if not vacancy.accepting_nominations:
        raise Conflict(_("The vacancy is no longer open: the nomination can't be changed."))
    cv_check(cv)
    old_cv = nomination.cv.name
    stored: list[str] = []
    with stored_or_removed(_cv_storage(), stored):  # type: ignore[arg-type]
        if motivation is not None:
            nomination.motivation = motivation
        if cv is not None:
            nomination.cv.save("cv.pdf", cv, save=False)
            stored.append(nomination.cv.name or "")
        nomination.save()
        audit_record(
            actor=actor,
            action="nomination.updated",
            target=nomination,
            data={"motivation": motivation is not None, "cv": cv is not None},
        )
    if cv is not None and old_cv:
        storage = _cv_storage()
        transaction.on_commit(lambda: storage.delete(old_cv))  # type: ignore[attr-defined]
    return nomination


def nomination_cv_download(*, actor: Actor, nomination: Nomination) -> None:
    """HR or the nominating State's focal point reads the candidate's CV: the policy decides (404
    to anybody else), and the read is audited (``nomination.cv_downloaded``) before the file is
    handed out, so the trail shows who saw a candidate's personal data."""
    policies.nomination_visible(actor, nomination)
    audit_record(actor=actor, action="nomination.cv_downloaded", target=nomination)


def status_changed(nomination: Nomination, previous: str, actor: Actor, reason: str) -> None:
    """Record a status change: history, audit entry, webhook event (for HR and that State only) and"""
    _history(nomination, nomination.status, actor, reason)
    audit_record(
        actor=actor,
        action="nomination.status_changed",
        target=nomination,
        data={"from": previous, "to": nomination.status, "vacancy": nomination.vacancy.reference},
        reason=reason,
    )
    event_publish(
        name="nomination.status_changed",
        data={
            "id": nomination.pk,
            "vacancy": nomination.vacancy.reference,
            "state": nomination.nominator_code,
            "status": nomination.status,
            "previous": previous,
        },
        visible_to_state=nomination.state,
        visible_to_partner=nomination.partner,
    )


@atomic_retry
def nomination_withdraw(*, actor: Actor, nomination: Nomination, reason: str = "") -> Nomination:
    """The nominating State (or Partner) withdraws a submitted or shortlisted nomination (409 for
    any other). The nomination stays, with its status."""
    policies.nomination_change(actor, nomination)
    _vacancy, nomination = _lock_both(nomination)
    if not nomination.may_become(Nomination.Status.WITHDRAWN):
        raise Conflict(
            _("A %(status)s nomination can't be withdrawn.") % {"status": nomination.get_status_display()}
        )
    previous = nomination.status
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.save(update_fields=["status", "updated"])
    status_changed(nomination, previous, actor, reason)
    return nomination


DECISIONS = (Nomination.Status.SHORTLISTED, Nomination.Status.SELECTED, Nomination.Status.REJECTED)


@atomic_retry
def nomination_decide(
    *,
    actor: Actor,
    nomination: Nomination,
    status: str,
    reason: str = "",
    start: datetime.date | None = None,
) -> Nomination:
    """HR moves a nomination: submitted → shortlisted | rejected, shortlisted → selected | rejected,
    once nominations are closed (deadline passed or closed early).

    Selecting takes the next selection slot (the database refuses a slot beyond the vacancy's
    posts) and creates the one-year secondment from ``start`` (default today), within the service
    limits of the person. When the last post is filled the vacancy becomes filled and the remaining
    open nominations are rejected. 409: nominations still open, a transition the workflow does not
    allow, posts filled, limits exceeded. 400: an unknown decision, a start out of range.
    """
    policies.nomination_decide(actor, nomination)
    if status not in Nomination.Status.values:
        raise Invalid(errors={"status": _("Choose shortlisted, selected or rejected.")})
    if status not in DECISIONS:  # submitted, withdrawn: not HR's to set
        raise Conflict(
            _("HR shortlists, selects or rejects; a nomination can't be set to %(status)s.")
            % {"status": Nomination.Status(status).label}
        )
    if start is not None and (too_far(start) or start.year < 1990):
        raise Invalid(errors={"start": _("The start must lie between 1990 and three years ahead.")})
    vacancy, nomination = _lock_both(nomination)
    if vacancy.status == Vacancy.Status.OPEN and vacancy.deadline_passed():
        # Nominations closed by themselves at the deadline: write it down before deciding.
        close_locked(actor=None, vacancy=vacancy, reason="deadline passed")
    if vacancy.status in (Vacancy.Status.DRAFT, Vacancy.Status.OPEN):
        raise Conflict(
            _(
                "Nominations are still open until %(date)s, 23:59 Vienna time: "
                "HR decides once they are closed."
            )
            % {"date": vacancy.deadline.isoformat()}
        )
    if vacancy.status in (Vacancy.Status.CANCELLED, Vacancy.Status.FILLED):
        raise Conflict(
            _("Nominations to a %(status)s vacancy can't be decided.")
            % {"status": vacancy.get_status_display()}
        )
    if not nomination.may_become(status):
        raise Conflict(
            _("A %(from)s nomination can't become %(to)s.")
            % {"from": nomination.get_status_display(), "to": Nomination.Status(status).label}
        )
    previous = nomination.status
    nomination.status = status
    nomination.save(update_fields=["status", "updated"])
    status_changed(nomination, previous, actor, reason)
    enqueue("secondments.tasks.nomination_status_notice", nomination.pk, status, reason)
    if status == Nomination.Status.SELECTED:
        filled = secondment_create_for_selection(
            actor=actor, vacancy=vacancy, nomination=nomination, start=start
        )
        if filled:
            _reject_remaining(vacancy)
    return nomination


def _reject_remaining(vacancy: Vacancy) -> None:
    """Every post is filled: the open nominations left are rejected and their States told."""
    others = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("state", "partner")
        .filter(vacancy=vacancy, status__in=Nomination.OPEN_STATUSES)
        .order_by("pk")
    )
    for other in others:
        other.vacancy = vacancy
        previous = other.status
        other.status = Nomination.Status.REJECTED
        other.save(update_fields=["status", "updated"])
        status_changed(other, previous, None, _("All posts have been filled."))
    enqueue("secondments.tasks.vacancy_filled_notice", vacancy.pk)


__all__ = [
    "CV_MAX_BYTES",
    "DECISIONS",
    "cv_check",
    "nomination_decide",
    "nomination_submit",
    "nomination_update",
    "nomination_withdraw",
    "status_changed",
]
