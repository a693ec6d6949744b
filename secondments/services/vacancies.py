"""Vacancies: create, edit, publish, close (early or at the deadline), extend, cancel.

Every function is the one door for its write: it asks ``secondments.policies`` who may act, keeps
the rules, locks the vacancy row, writes the audit entry, publishes the webhook event and enqueues
e-mails after commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.db import atomic_retry
from core.errors import Conflict, Invalid, full_clean
from core.events import event_publish
from secondments import policies
from secondments.models import DeadlineExtension, FieldOfExpertise, SelectionSlot, Vacancy
from secondments.services.common import MAX_DAYS_AHEAD, Actor, enqueue, today, too_far, user_or_none
from states.models import Body

# What HR sets on a vacancy (the portal sets the reference, status and dates).
VACANCY_FIELDS = (
    "title",
    "field_operation",
    "body",
    "duty_station",
    "appointment",
    "grade",
    "field_of_expertise",
    "dimension",
    "posts",
    "notice_language",
    "description",
    "tasks",
    "requirements",
    "languages",
    "remuneration",
    "deadline",
    "open_to_partners",
)

# Left out on creation, a vacancy's field of expertise follows from its dimension.
DEFAULT_FIELD_OF_EXPERTISE = {
    "politico-military": "political-affairs",
    "economic-environmental": "economic-and-environmental-affairs",
    "human": "human-rights",
}

# Bodies that employ staff (contract: `body` is for Secretariat and institution posts).
POST_BODY_KINDS = (Body.Kind.SECRETARIAT, Body.Kind.INSTITUTION)

_MINOR_WORDS = {"and", "for", "of", "on", "the", "in", "to", "at"}


def _initials(slug: str) -> str:
    words = [word for word in slug.split("-") if word and word not in _MINOR_WORDS]
    if len(words) == 1:
        return "".join(ch for ch in words[0].upper() if ch.isalnum())[:6]
    return "".join(word[0] for word in words).upper()[:6]


def reference_code(vacancy: Vacancy) -> str:
    """The post's code in the reference: the operation's own code (BAH), else its host State's
    alpha-3 code, else the initials of its name; SEC for the Secretariat; an institution's
    short name (ODIHR, HCNM)."""
    operation = vacancy.field_operation
    if operation is not None:
        code = "".join(ch for ch in (operation.code or "").upper() if ch.isalnum())[:6]
        if not code and operation.host_state_id and operation.host_state is not None:
            code = operation.host_state.iso_alpha3.upper()
        return code or _initials(operation.slug) or "FO"
    body = vacancy.body
    if body is not None and body.kind != Body.Kind.SECRETARIAT:
        return _initials(body.slug) or "SEC"
    return "SEC"


def _next_serial() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('secondments_vacancy_serial')")
        return int(cursor.fetchone()[0])


def _check_fields(data: dict[str, Any]) -> None:
    unknown = set(data) - set(VACANCY_FIELDS)
    if unknown:
        raise Invalid(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})


def _validate(vacancy: Vacancy, *, deadline_changed: bool) -> None:
    """The vacancy's rules, all reported at once."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if bool(vacancy.field_operation_id) == bool(vacancy.body_id):
        add(
            "field_operation",
            _("A post is at a field operation or at a Secretariat or institution body: give exactly one."),
        )
    elif vacancy.body_id and vacancy.body is not None and vacancy.body.kind not in POST_BODY_KINDS:
        add(
            "body",
            _("Posts are at the Secretariat or an institution, not at %(body)s.")
            % {"body": vacancy.body.name},
        )
    if deadline_changed and vacancy.deadline:
        if vacancy.deadline < today():
            add("deadline", _("The deadline is in the past."))
        elif too_far(vacancy.deadline):
            add("deadline", _("The deadline is too far ahead (at most three years)."))
    operation = vacancy.field_operation if vacancy.field_operation_id else None
    if operation is not None and vacancy.deadline and not operation.is_active(vacancy.deadline):
        add(
            "field_operation",
            _("%(operation)s is not active on the deadline (%(date)s): choose an active operation.")
            % {"operation": operation.name, "date": vacancy.deadline.isoformat()},
        )
    if vacancy.posts is not None and vacancy.posts < 1:
        add("posts", _("A vacancy has at least one post."))
    if vacancy.appointment and vacancy.grade:
        seconded_grade = vacancy.grade in Vacancy.SECONDED_GRADES
        if vacancy.appointment == Vacancy.Appointment.SECONDED and not seconded_grade:
            add("grade", _("A seconded post has a seconded level: S, S1, S2, S3, DHoM or HoM."))
        if vacancy.appointment == Vacancy.Appointment.CONTRACTED and seconded_grade:
            add("grade", _("A contracted post has a P, D, G or NP grade."))
    languages = vacancy.languages or []
    if not isinstance(languages, list) or any(
        not isinstance(code, str) or len(code) != 2 or not code.isalpha() or not code.islower()
        for code in languages
    ):
        add("languages", _("Give languages as ISO 639-1 codes such as en, ru."))
    if errors:
        raise Invalid(errors=errors)
    full_clean(vacancy, exclude=["reference", "search_vector"])


def _default_duty_station(vacancy: Vacancy) -> None:
    """Left empty, the duty station is the post's location (an operation's) or seat (a body's)."""
    if not vacancy.duty_station:
        post = vacancy.field_operation or vacancy.body
        vacancy.duty_station = (getattr(post, "location", "") or getattr(post, "seat", "") or "")[:120]


def vacancy_search_update(*, vacancy: Vacancy) -> None:
    """Store the vacancy's search vector, stemmed in the notice's language (part of a write)."""
    config = vacancy.search_config
    vector = SearchVector("title", weight="A", config=config) + SearchVector(
        "description", "tasks", "requirements", weight="B", config=config
    )
    Vacancy.objects.filter(pk=vacancy.pk).update(search_vector=vector)


def _lock(vacancy: Vacancy) -> Vacancy:
    """Lock the vacancy row (first in the lock order: vacancy, nomination, person, secondment)."""
    return (
        Vacancy.objects.select_for_update(of=("self",))
        .select_related("field_operation", "body")
        .get(pk=vacancy.pk)
    )


def _event_data(vacancy: Vacancy) -> dict[str, Any]:
    return {
        "reference": vacancy.reference,
        "title": vacancy.title,
        "status": vacancy.status,
        "deadline": vacancy.deadline.isoformat(),
    }


@atomic_retry
def vacancy_create(*, actor: Actor, **data: Any) -> Vacancy:
    """HR creates a draft vacancy; the portal assigns its reference (VN + post code + S/C + serial).

    Defaults: the appointment from the grade, the field of expertise from the dimension, the duty
    station from the post's location. Invalid (400): the rules of ``_validate``.
    """
    policies.vacancy_manage(actor)
    _check_fields(data)
    vacancy = Vacancy(created_by=user_or_none(actor), status=Vacancy.Status.DRAFT, **data)
    if not vacancy.appointment and vacancy.grade:
        seconded = vacancy.grade in Vacancy.SECONDED_GRADES
        vacancy.appointment = Vacancy.Appointment.SECONDED if seconded else Vacancy.Appointment.CONTRACTED
    if vacancy.field_of_expertise_id is None and vacancy.dimension_id is not None:
        default = DEFAULT_FIELD_OF_EXPERTISE.get(vacancy.dimension_id)
        if default and FieldOfExpertise.objects.filter(pk=default).exists():
            vacancy.field_of_expertise_id = default
    _default_duty_station(vacancy)
    _validate(vacancy, deadline_changed=True)
    kind = "S" if vacancy.appointment == Vacancy.Appointment.SECONDED else "C"
    vacancy.reference = f"VN{reference_code(vacancy)}{kind}{_next_serial():05d}"
    vacancy.save()
    vacancy_search_update(vacancy=vacancy)
    audit_record(actor=actor, action="vacancy.created", target=vacancy, data={"reference": vacancy.reference})
    return vacancy


@atomic_retry
def vacancy_update(*, actor: Actor, vacancy: Vacancy, **data: Any) -> Vacancy:
    """HR edits a draft or open vacancy. An open vacancy's deadline moves only by ``vacancy_extend``;
    the posts never drop below those already filled."""
    policies.vacancy_manage(actor, vacancy)
    vacancy = _lock(vacancy)
    if vacancy.current_status not in (Vacancy.Status.DRAFT, Vacancy.Status.OPEN):
        raise Conflict(
            _("Only a draft or open vacancy can be edited (this one is %(status)s).")
            % {"status": Vacancy.Status(vacancy.current_status).label}
        )
    _check_fields(data)
    deadline_changed = "deadline" in data and data["deadline"] != vacancy.deadline
    if deadline_changed and vacancy.status == Vacancy.Status.OPEN:
        raise Invalid(errors={"deadline": _("Extend an open vacancy's deadline with the extend action.")})
    if data.get("posts") is not None:
        filled = SelectionSlot.objects.filter(vacancy=vacancy).count()
        if data["posts"] < filled:
            raise Invalid(errors={"posts": _("%(n)d posts are already filled.") % {"n": filled}})
    for name, value in data.items():
        setattr(vacancy, name, value)
    _default_duty_station(vacancy)
    _validate(vacancy, deadline_changed=deadline_changed)
    vacancy.save()
    vacancy_search_update(vacancy=vacancy)
    audit_record(actor=actor, action="vacancy.updated", target=vacancy, data={"fields": sorted(data)})
    return vacancy


@atomic_retry
def vacancy_publish(*, actor: Actor, vacancy: Vacancy) -> Vacancy:
    """HR opens a draft for nominations; focal points are alerted after commit.

    Conflict (409): not a draft. Invalid (400): the deadline has passed, or the operation is not
    active on it.
    """
    policies.vacancy_manage(actor, vacancy)
    vacancy = _lock(vacancy)
    if vacancy.status != Vacancy.Status.DRAFT:
        raise Conflict(
            _("Only a draft can be published (this vacancy is %(status)s).")
            % {"status": vacancy.get_status_display()}
        )
    if vacancy.deadline < today():
        raise Invalid(errors={"deadline": _("The deadline is in the past: change it before publishing.")})
    _validate(vacancy, deadline_changed=False)
    vacancy.status = Vacancy.Status.OPEN
    vacancy.published = timezone.now()
    vacancy.save(update_fields=["status", "published", "updated"])
    audit_record(
        actor=actor, action="vacancy.published", target=vacancy, data={"deadline": str(vacancy.deadline)}
    )
    event_publish(name="vacancy.published", data=_event_data(vacancy))
    enqueue("secondments.tasks.vacancy_alert", vacancy.pk)
    return vacancy


def close_locked(*, actor: Actor, vacancy: Vacancy, reason: str = "") -> Vacancy:
    """Close a locked, open vacancy to nominations (filled when every post is): the step shared by
    ``vacancy_close`` and a decision on a vacancy whose deadline passed a moment ago."""
    filled = SelectionSlot.objects.filter(vacancy=vacancy).count() >= vacancy.posts
    vacancy.status = Vacancy.Status.FILLED if filled else Vacancy.Status.CLOSED
    vacancy.closed = timezone.now()
    vacancy.save(update_fields=["status", "closed", "updated"])
    audit_record(actor=actor, action="vacancy.closed", target=vacancy, reason=reason)
    event_publish(name="vacancy.closed", data=_event_data(vacancy))
    return vacancy


@atomic_retry
def vacancy_close(*, actor: Actor, vacancy: Vacancy, reason: str = "") -> Vacancy:
    """Close an open vacancy to nominations: early by HR, or by the system once its deadline passed.

    Conflict (409): the vacancy is not open (in the database: one whose deadline passed but which
    the scheduled task has not closed yet is still closed here).
    """
    policies.vacancy_manage(actor, vacancy)
    vacancy = _lock(vacancy)
    if vacancy.status != Vacancy.Status.OPEN:
        raise Conflict(
            _("Only an open vacancy can be closed (this one is %(status)s).")
            % {"status": vacancy.get_status_display()}
        )
    return close_locked(actor=actor, vacancy=vacancy, reason=reason)


@atomic_retry
def vacancy_extend(*, actor: Actor, vacancy: Vacancy, deadline: datetime.date | None) -> Vacancy:
    """HR moves an open (or closed, not yet filled) vacancy's deadline later; the change is recorded
    and a closed vacancy reopens for nominations.

    Conflict (409): draft, filled or cancelled. Invalid (400): no date, a date in the past, not
    later than the current one, more than three years ahead, or after the operation closes.
    """
    policies.vacancy_manage(actor, vacancy)
    vacancy = _lock(vacancy)
    if vacancy.status not in (Vacancy.Status.OPEN, Vacancy.Status.CLOSED):
        raise Conflict(
            _("Only an open or closed vacancy can be extended (this one is %(status)s).")
            % {"status": vacancy.get_status_display()}
        )
    if deadline is None:
        raise Invalid(errors={"deadline": _("Give the new deadline.")})
    if deadline < today():
        raise Invalid(errors={"deadline": _("The deadline is in the past.")})
    if deadline <= vacancy.deadline:
        raise Invalid(errors={"deadline": _("The new deadline must be later than the current one.")})
    if too_far(deadline):
        raise Invalid(errors={"deadline": _("The deadline is too far ahead (at most three years).")})
    previous = vacancy.deadline
    vacancy.deadline = deadline
    _validate(vacancy, deadline_changed=False)
    DeadlineExtension.objects.create(
        vacancy=vacancy, previous=previous, deadline=deadline, by=user_or_none(actor)
    )
    vacancy.status = Vacancy.Status.OPEN
    vacancy.closed = None
    vacancy.save(update_fields=["deadline", "status", "closed", "updated"])
    audit_record(
        actor=actor,
        action="vacancy.extended",
        target=vacancy,
        data={"previous": previous.isoformat(), "deadline": deadline.isoformat()},
    )
    event_publish(name="vacancy.extended", data={**_event_data(vacancy), "previous": previous.isoformat()})
    return vacancy


@atomic_retry
def vacancy_cancel(*, actor: Actor, vacancy: Vacancy, reason: str = "") -> Vacancy:
    """HR cancels a vacancy with no selected candidate. A draft stays unpublished (private); a
    published one stays visible as cancelled, and its subscribers are told.

    Conflict (409): already filled or cancelled, or a candidate is selected.
    """
    policies.vacancy_manage(actor, vacancy)
    vacancy = _lock(vacancy)
    if vacancy.status not in (Vacancy.Status.DRAFT, Vacancy.Status.OPEN, Vacancy.Status.CLOSED):
        raise Conflict(
            _("This vacancy is %(status)s and can't be cancelled.") % {"status": vacancy.get_status_display()}
        )
    if SelectionSlot.objects.filter(vacancy=vacancy).exists():
        raise Conflict(_("A candidate is already selected: the vacancy can't be cancelled."))
    was_published = vacancy.was_published
    vacancy.status = Vacancy.Status.CANCELLED
    vacancy.closed = vacancy.closed or timezone.now()
    vacancy.save(update_fields=["status", "closed", "updated"])
    audit_record(actor=actor, action="vacancy.cancelled", target=vacancy, reason=reason)
    if was_published:
        event_publish(name="vacancy.closed", data=_event_data(vacancy))
    return vacancy


def vacancies_close_expired(*, now: datetime.datetime | None = None) -> list[str]:
    """Write down the closing of every open vacancy whose deadline (23:59 Vienna) has passed (the
    system, every few minutes). Safe to run twice."""
    day = timezone.localdate(now) if now else today()
    closed = []
    for vacancy in Vacancy.objects.filter(status=Vacancy.Status.OPEN, deadline__lt=day).order_by("pk"):
        try:
            vacancy_close(actor=None, vacancy=vacancy, reason="deadline passed")
        except Conflict:  # closed meanwhile by someone else
            continue
        closed.append(vacancy.reference)
    return closed


__all__ = [
    "MAX_DAYS_AHEAD",
    "VACANCY_FIELDS",
    "close_locked",
    "reference_code",
    "vacancies_close_expired",
    "vacancy_cancel",
    "vacancy_close",
    "vacancy_create",
    "vacancy_extend",
    "vacancy_publish",
    "vacancy_search_update",
    "vacancy_update",
]
