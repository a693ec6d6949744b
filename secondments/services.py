"""Writes of the secondment cycle: every state change goes through a function of this module.

Each service is keyword-only and atomic, validates with ``full_clean()``, writes an audit entry,
publishes the domain events webhooks deliver, and enqueues e-mails after commit. A rule violated by
the input raises ``ValidationError`` (400); a request that conflicts with an object's state raises
``Conflict`` (409).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api import Conflict
from core.audit import audit_record
from core.events import event_publish
from core.models import AuditEntry
from secondments.models import (
    SEARCH_CONFIGS,
    CalendarToken,
    DeadlineExtension,
    FieldOfExpertise,
    Nomination,
    NominationChange,
    Secondment,
    SelectionSlot,
    Vacancy,
    add_years,
)
from states.models import State

Actor = AbstractBaseUser | AnonymousUser | None

CV_MAX_BYTES = 5 * 1024 * 1024
# How far ahead a deadline or a secondment's start may be set (keeps dates sane and computable).
MAX_DAYS_AHEAD = 3 * 366
CV_MAGIC = b"%PDF-"

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


def _today() -> datetime.date:
    """Today in Vienna (TIME_ZONE): deadlines are Vienna dates."""
    return timezone.localdate()


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _enqueue(task: Any, *args: Any) -> None:
    """Send ``task`` to the worker once the current transaction commits."""
    transaction.on_commit(lambda: task.delay(*args))


# --- Vacancies ----------------------------------------------------------------------------------


_MINOR_WORDS = {"and", "for", "of", "on", "the", "in", "to", "at"}


def _initials(slug: str) -> str:
    words = [word for word in slug.split("-") if word and word not in _MINOR_WORDS]
    if len(words) == 1:
        return "".join(ch for ch in words[0].upper() if ch.isalnum())[:6]
    return "".join(word[0] for word in words).upper()[:6]


def _reference_code(vacancy: Vacancy) -> str:
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
    if body is not None and body.kind != "secretariat":
        return _initials(body.slug) or "SEC"
    return "SEC"


def _next_serial() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('secondments_vacancy_serial')")
        return int(cursor.fetchone()[0])


# Bodies that employ staff (contract: `body` is for Secretariat and institution posts).
POST_BODY_KINDS = ("secretariat", "institution")


def _validate_vacancy(vacancy: Vacancy, *, deadline_changed: bool) -> None:
    errors: dict[str, list[str]] = {}
    if bool(vacancy.field_operation_id) == bool(vacancy.body_id):
        errors.setdefault("field_operation", []).append(
            _("A post is at a field operation or at a Secretariat or institution body: give exactly one.")
        )
    elif vacancy.body_id and vacancy.body is not None and vacancy.body.kind not in POST_BODY_KINDS:
        errors.setdefault("body", []).append(
            _("Posts are at the Secretariat or an institution, not at %(body)s.")
            % {"body": vacancy.body.name}
        )
    if deadline_changed and vacancy.deadline and vacancy.deadline < _today():
        errors.setdefault("deadline", []).append(_("The deadline is in the past."))
    if deadline_changed and vacancy.deadline and _too_far(vacancy.deadline):
        errors.setdefault("deadline", []).append(_("The deadline is too far ahead (at most three years)."))
    if vacancy.posts is not None and vacancy.posts < 1:
        errors.setdefault("posts", []).append(_("A vacancy has at least one post."))
    if vacancy.appointment and vacancy.grade:
        seconded_grade = vacancy.grade in Vacancy.SECONDED_GRADES
        if vacancy.appointment == Vacancy.Appointment.SECONDED and not seconded_grade:
            errors.setdefault("grade", []).append(
                _("A seconded post has a seconded level: S, S1, S2, S3, DHoM or HoM.")
            )
        if vacancy.appointment == Vacancy.Appointment.CONTRACTED and seconded_grade:
            errors.setdefault("grade", []).append(_("A contracted post has a P, D, G or NP grade."))
    languages = vacancy.languages or []
    if not isinstance(languages, list) or any(
        not isinstance(code, str) or len(code) != 2 or not code.isalpha() or not code.islower()
        for code in languages
    ):
        errors.setdefault("languages", []).append(_("Give languages as ISO 639-1 codes such as en, ru."))
    if errors:
        raise ValidationError(errors)
    try:
        vacancy.full_clean(exclude=["reference", "search_vector"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


def vacancy_search_update(*, vacancy: Vacancy) -> None:
    """Store the vacancy's search vector, stemmed in the notice's language."""
    config = vacancy.search_config
    vector = SearchVector("title", weight="A", config=config) + SearchVector(
        "description", "tasks", "requirements", weight="B", config=config
    )
    Vacancy.objects.filter(pk=vacancy.pk).update(search_vector=vector)


def search_query(text: str) -> SearchQuery:
    """The user's words as a web-search query in each of the six languages (one constant tsquery,
    so the GIN index answers it)."""
    return reduce(
        or_, (SearchQuery(text, config=config, search_type="websearch") for config in SEARCH_CONFIGS.values())
    )


def vacancy_search(queryset: QuerySet[Vacancy], text: str) -> QuerySet[Vacancy]:
    """Vacancies matching ``text``, best first."""
    query = search_query(text)
    return (
        queryset.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "deadline", "reference")
    )


@transaction.atomic
def vacancy_create(*, actor: Actor, **data: Any) -> Vacancy:
    """Create a draft vacancy and assign its reference (VN + post code + S/C + serial)."""
    unknown = set(data) - set(VACANCY_FIELDS)
    if unknown:
        raise ValidationError(
            {"detail": [_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}]}
        )
    vacancy = Vacancy(created_by=_user(actor), status=Vacancy.Status.DRAFT, **data)
    # Left out, the appointment follows from the grade and the duty station from the post's seat.
    if not vacancy.appointment and vacancy.grade:
        seconded = vacancy.grade in Vacancy.SECONDED_GRADES
        vacancy.appointment = Vacancy.Appointment.SECONDED if seconded else Vacancy.Appointment.CONTRACTED
    if vacancy.field_of_expertise_id is None and vacancy.dimension_id is not None:
        default = DEFAULT_FIELD_OF_EXPERTISE.get(vacancy.dimension_id)
        if default and FieldOfExpertise.objects.filter(pk=default).exists():
            vacancy.field_of_expertise_id = default
    if not vacancy.duty_station:
        post = vacancy.field_operation or vacancy.body
        vacancy.duty_station = (getattr(post, "location", "") or getattr(post, "seat", "") or "")[:120]
    _validate_vacancy(vacancy, deadline_changed=True)
    kind = "S" if vacancy.appointment == Vacancy.Appointment.SECONDED else "C"
    vacancy.reference = f"VN{_reference_code(vacancy)}{kind}{_next_serial():05d}"
    vacancy.save()
    vacancy_search_update(vacancy=vacancy)
    audit_record(actor=actor, action="vacancy.created", target=vacancy, data={"reference": vacancy.reference})
    return vacancy


@transaction.atomic
def vacancy_update(*, actor: Actor, vacancy: Vacancy, **data: Any) -> Vacancy:
    """Edit a draft or open vacancy. An open vacancy's deadline moves only by ``vacancy_extend``."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status not in (Vacancy.Status.DRAFT, Vacancy.Status.OPEN):
        raise Conflict(
            _("Only a draft or open vacancy can be edited (this one is %(status)s).")
            % {"status": vacancy.get_status_display()}
        )
    unknown = set(data) - set(VACANCY_FIELDS)
    if unknown:
        raise ValidationError(
            {"detail": [_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}]}
        )
    deadline_changed = "deadline" in data and data["deadline"] != vacancy.deadline
    if deadline_changed and vacancy.status == Vacancy.Status.OPEN:
        raise ValidationError({"deadline": [_("Extend an open vacancy's deadline with the extend action.")]})
    if "posts" in data and data["posts"] is not None:
        selected = SelectionSlot.objects.filter(vacancy=vacancy).count()
        if data["posts"] < selected:
            raise ValidationError({"posts": [_("%(n)d posts are already filled.") % {"n": selected}]})
    for name, value in data.items():
        setattr(vacancy, name, value)
    _validate_vacancy(vacancy, deadline_changed=deadline_changed)
    vacancy.save()
    vacancy_search_update(vacancy=vacancy)
    audit_record(actor=actor, action="vacancy.updated", target=vacancy, data={"fields": sorted(data)})
    return vacancy


def _vacancy_event_data(vacancy: Vacancy) -> dict[str, Any]:
    return {
        "reference": vacancy.reference,
        "title": vacancy.title,
        "status": vacancy.status,
        "deadline": vacancy.deadline.isoformat(),
    }


@transaction.atomic
def vacancy_publish(*, actor: Actor, vacancy: Vacancy) -> Vacancy:
    """Open a draft for nominations; alerts go to the focal points after commit."""
    from secondments import tasks

    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.DRAFT:
        raise Conflict(
            _("Only a draft can be published (this vacancy is %(status)s).")
            % {"status": vacancy.get_status_display()}
        )
    if vacancy.deadline < _today():
        raise ValidationError({"deadline": [_("The deadline is in the past: change it before publishing.")]})
    vacancy.status = Vacancy.Status.OPEN
    vacancy.published = timezone.now()
    vacancy.save(update_fields=["status", "published", "updated"])
    audit_record(
        actor=actor, action="vacancy.published", target=vacancy, data={"deadline": str(vacancy.deadline)}
    )
    event_publish(name="vacancy.published", data=_vacancy_event_data(vacancy))
    _enqueue(tasks.vacancy_alert, vacancy.pk)
    return vacancy


def _too_far(day: datetime.date) -> bool:
    return day > _today() + datetime.timedelta(days=MAX_DAYS_AHEAD)


def _selected_count(vacancy: Vacancy) -> int:
    return SelectionSlot.objects.filter(vacancy=vacancy).count()


@transaction.atomic
def vacancy_close(*, actor: Actor, vacancy: Vacancy, reason: str = "") -> Vacancy:
    """Close an open vacancy to nominations (early by HR, or when its deadline passes)."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != Vacancy.Status.OPEN:
        raise Conflict(
            _("Only an open vacancy can be closed (this one is %(status)s).")
            % {"status": vacancy.get_status_display()}
        )
    vacancy.status = (
        Vacancy.Status.FILLED if _selected_count(vacancy) >= vacancy.posts else Vacancy.Status.CLOSED
    )
    vacancy.closed = timezone.now()
    vacancy.save(update_fields=["status", "closed", "updated"])
    audit_record(actor=actor, action="vacancy.closed", target=vacancy, reason=reason)
    event_publish(name="vacancy.closed", data=_vacancy_event_data(vacancy))
    return vacancy


@transaction.atomic
def vacancy_extend(*, actor: Actor, vacancy: Vacancy, deadline: datetime.date | None) -> Vacancy:
    """Move an open (or closed, not yet filled) vacancy's deadline later; the change is recorded.

    A closed vacancy reopens for nominations.
    """
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status not in (Vacancy.Status.OPEN, Vacancy.Status.CLOSED):
        raise Conflict(
            _("Only an open or closed vacancy can be extended (this one is %(status)s).")
            % {"status": vacancy.get_status_display()}
        )
    if deadline is None:
        raise ValidationError({"deadline": [_("Give the new deadline.")]})
    if deadline < _today():
        raise ValidationError({"deadline": [_("The deadline is in the past.")]})
    if deadline <= vacancy.deadline:
        raise ValidationError({"deadline": [_("The new deadline must be later than the current one.")]})
    if _too_far(deadline):
        raise ValidationError({"deadline": [_("The deadline is too far ahead (at most three years).")]})
    DeadlineExtension.objects.create(
        vacancy=vacancy, previous=vacancy.deadline, deadline=deadline, by=_user(actor)
    )
    previous = vacancy.deadline
    vacancy.deadline = deadline
    vacancy.status = Vacancy.Status.OPEN
    vacancy.closed = None
    vacancy.save(update_fields=["deadline", "status", "closed", "updated"])
    audit_record(
        actor=actor,
        action="vacancy.extended",
        target=vacancy,
        data={"previous": previous.isoformat(), "deadline": deadline.isoformat()},
    )
    event_publish(
        name="vacancy.extended", data={**_vacancy_event_data(vacancy), "previous": previous.isoformat()}
    )
    return vacancy


@transaction.atomic
def vacancy_cancel(*, actor: Actor, vacancy: Vacancy, reason: str = "") -> Vacancy:
    """Cancel a vacancy that has no selected candidate."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status not in (Vacancy.Status.DRAFT, Vacancy.Status.OPEN, Vacancy.Status.CLOSED):
        raise Conflict(
            _("This vacancy is %(status)s and can't be cancelled.") % {"status": vacancy.get_status_display()}
        )
    if _selected_count(vacancy):
        raise Conflict(_("A candidate is already selected: the vacancy can't be cancelled."))
    vacancy.status = Vacancy.Status.CANCELLED
    vacancy.published = vacancy.published or timezone.now()
    vacancy.closed = vacancy.closed or timezone.now()
    vacancy.save(update_fields=["status", "published", "closed", "updated"])
    audit_record(actor=actor, action="vacancy.cancelled", target=vacancy, reason=reason)
    event_publish(name="vacancy.closed", data=_vacancy_event_data(vacancy))
    return vacancy


def vacancies_close_expired(*, now: datetime.datetime | None = None) -> list[str]:
    """Close every open vacancy whose deadline (23:59 Vienna) has passed. Safe to run twice."""
    today = timezone.localdate(now) if now else _today()
    closed = []
    for vacancy in Vacancy.objects.filter(status=Vacancy.Status.OPEN, deadline__lt=today).order_by("pk"):
        try:
            vacancy_close(actor=None, vacancy=vacancy, reason="deadline passed")
        except Conflict:  # closed meanwhile by someone else
            continue
        closed.append(vacancy.reference)
    return closed


# --- Nominations --------------------------------------------------------------------------------


def _validate_cv(cv: UploadedFile | None) -> None:
    if cv is None:
        return
    if cv.size is None or cv.size > CV_MAX_BYTES:
        raise ValidationError({"cv": [_("The CV must be a PDF of at most 5 MB.")]})
    cv.seek(0)
    head = cv.read(len(CV_MAGIC))
    cv.seek(0)
    if head != CV_MAGIC:
        raise ValidationError({"cv": [_("The CV must be a PDF file.")]})


def _history(nomination: Nomination, status: str, actor: Actor, reason: str = "") -> None:
    NominationChange.objects.create(nomination=nomination, status=status, by=_user(actor), reason=reason)


@transaction.atomic
def nomination_submit(
    *,
    actor: Actor,
    vacancy: Vacancy,
    state: State,
    given_name: str,
    family_name: str,
    email: str,
    nationality: State | None,
    gender: str,
    motivation: str = "",
    cv: UploadedFile | None = None,
) -> Nomination:
    """A State's focal point nominates a candidate of that State to an open vacancy.

    409: the vacancy isn't open, its deadline passed, or the candidate is already nominated to it.
    400: the nationality isn't the State's, or the candidate is a national of the duty station's
    host State for an international post, or the CV is not a PDF of at most 5 MB.
    """
    # Locked so a concurrent close or extension is seen before the checks below.
    vacancy = (
        Vacancy.objects.select_for_update(of=("self",)).select_related("field_operation").get(pk=vacancy.pk)
    )
    if vacancy.status != Vacancy.Status.OPEN:
        raise Conflict(_("This vacancy is not open for nominations."))
    if timezone.now() > vacancy.closes_at:
        raise Conflict(
            _("The deadline for nominations has passed (23:59 Vienna time on %(date)s).")
            % {"date": vacancy.deadline.isoformat()}
        )
    if nationality is None or nationality.pk != state.pk:
        raise ValidationError(
            {
                "nationality": [
                    _(
                        "A State nominates its own nationals only: "
                        "the candidate must be a national of %(state)s."
                    )
                    % {"state": state.name}
                ]
            }
        )
    if vacancy.is_international and vacancy.host_state_id and nationality.pk == vacancy.host_state_id:
        raise ValidationError(
            {
                "nationality": [
                    _("Nationals of the duty station's host State cannot take an international post.")
                ]
            }
        )
    _validate_cv(cv)
    email = (email or "").strip()
    if Nomination.objects.filter(vacancy=vacancy, email__iexact=email, anonymised__isnull=True).exists():
        raise Conflict(_("This candidate is already nominated to this vacancy."))
    nomination = Nomination(
        vacancy=vacancy,
        state=state,
        given_name=given_name,
        family_name=family_name,
        email=email,
        nationality=nationality,
        gender=gender,
        motivation=motivation,
        submitted_by=_user(actor),
    )
    try:
        nomination.full_clean(exclude=["cv", "vacancy"], validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error
    if cv is not None:
        nomination.cv.save("cv.pdf", cv, save=False)
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as error:  # a concurrent request nominated the same candidate
        raise Conflict(_("This candidate is already nominated to this vacancy.")) from error
    _history(nomination, Nomination.Status.SUBMITTED, actor)
    audit_record(
        actor=actor,
        action="nomination.submitted",
        target=nomination,
        data={"vacancy": vacancy.reference, "state": state.pk},
    )
    return nomination


@transaction.atomic
def nomination_update(
    *, actor: Actor, nomination: Nomination, motivation: str | None = None, cv: UploadedFile | None = None
) -> Nomination:
    """The nominating State updates an open nomination's motivation or CV before the deadline."""
    nomination = Nomination.objects.select_for_update().select_related("vacancy").get(pk=nomination.pk)
    if nomination.status not in Nomination.OPEN_STATUSES:
        raise Conflict(_("Only a submitted or shortlisted nomination can be updated."))
    if nomination.vacancy.status != Vacancy.Status.OPEN or timezone.now() > nomination.vacancy.closes_at:
        raise Conflict(_("The vacancy is no longer open: the nomination can't be changed."))
    _validate_cv(cv)
    if motivation is not None:
        nomination.motivation = motivation
    if cv is not None:
        old = nomination.cv.name
        nomination.cv.save("cv.pdf", cv, save=False)
        if old:
            transaction.on_commit(lambda: nomination.cv.storage.delete(old))
    nomination.save()
    audit_record(actor=actor, action="nomination.updated", target=nomination)
    return nomination


def _status_changed(nomination: Nomination, previous: str, actor: Actor, reason: str) -> None:
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
            "state": nomination.state_id,
            "status": nomination.status,
            "previous": previous,
        },
        visible_to_state=nomination.state,
    )


@transaction.atomic
def nomination_withdraw(*, actor: Actor, nomination: Nomination, reason: str = "") -> Nomination:
    """The nominating State withdraws a submitted or shortlisted nomination."""
    nomination = (
        Nomination.objects.select_for_update().select_related("vacancy", "state").get(pk=nomination.pk)
    )
    if not nomination.may_become(Nomination.Status.WITHDRAWN):
        raise Conflict(
            _("A %(status)s nomination can't be withdrawn.") % {"status": nomination.get_status_display()}
        )
    previous = nomination.status
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.save(update_fields=["status", "updated"])
    _status_changed(nomination, previous, actor, reason)
    return nomination


@transaction.atomic
def nomination_decide(
    *,
    actor: Actor,
    nomination: Nomination,
    status: str,
    reason: str = "",
    start: datetime.date | None = None,
) -> Nomination:
    """HR moves a nomination: submitted → shortlisted | rejected, shortlisted → selected | rejected.

    Selecting locks the vacancy row, takes the next selection slot (the database refuses a slot
    beyond the vacancy's posts) and creates the one-year secondment from ``start`` (default
    today). When the last post is filled the vacancy becomes filled and the remaining open
    nominations are rejected and their States told.
    """
    from secondments import tasks

    decisions = (Nomination.Status.SHORTLISTED, Nomination.Status.SELECTED, Nomination.Status.REJECTED)
    if status not in decisions:
        raise ValidationError({"status": [_("Choose shortlisted, selected or rejected.")]})
    if start is not None and (_too_far(start) or start.year < 1990):
        raise ValidationError({"start": [_("The start must lie between 1990 and three years ahead.")]})
    vacancy_id = Nomination.objects.filter(pk=nomination.pk).values_list("vacancy_id", flat=True).get()
    # Lock the vacancy first, then the nomination: every selection on a vacancy queues here.
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
    nomination = Nomination.objects.select_for_update().select_related("state").get(pk=nomination.pk)
    nomination.vacancy = vacancy
    if vacancy.status in (Vacancy.Status.DRAFT, Vacancy.Status.CANCELLED, Vacancy.Status.FILLED):
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
    _status_changed(nomination, previous, actor, reason)
    if status != Nomination.Status.SELECTED:
        return nomination

    taken = _selected_count(vacancy)
    if taken >= vacancy.posts:
        raise Conflict(_("All %(n)d posts of this vacancy are already filled.") % {"n": vacancy.posts})
    try:
        with transaction.atomic():
            SelectionSlot.objects.create(
                vacancy=vacancy, slot=taken + 1, posts=vacancy.posts, nomination=nomination
            )
    except IntegrityError as error:
        raise Conflict(
            _("All %(n)d posts of this vacancy are already filled.") % {"n": vacancy.posts}
        ) from error
    begin = start or _today()
    secondment = Secondment.objects.create(
        nomination=nomination,
        state=nomination.state,
        vacancy=vacancy,
        field_operation_id=vacancy.field_operation_id,
        person=nomination.email.lower(),
        start=begin,
        end=add_years(begin, 1),
    )
    audit_record(
        actor=actor,
        action="secondment.created",
        target=secondment,
        data={"start": begin.isoformat(), "end": secondment.end.isoformat(), "vacancy": vacancy.reference},
    )
    if taken + 1 == vacancy.posts:
        vacancy.status = Vacancy.Status.FILLED
        vacancy.closed = vacancy.closed or timezone.now()
        vacancy.save(update_fields=["status", "closed", "updated"])
        audit_record(actor=actor, action="vacancy.filled", target=vacancy)
        event_publish(name="vacancy.closed", data=_vacancy_event_data(vacancy))
        others = (
            Nomination.objects.select_for_update()
            .select_related("state")
            .filter(vacancy=vacancy, status__in=Nomination.OPEN_STATUSES)
        )
        for other in others:
            other.vacancy = vacancy
            other_previous = other.status
            other.status = Nomination.Status.REJECTED
            other.save(update_fields=["status", "updated"])
            _status_changed(other, other_previous, None, _("All posts have been filled."))
        _enqueue(tasks.vacancy_filled_notice, vacancy.pk)
    return nomination


# --- Secondments --------------------------------------------------------------------------------


@transaction.atomic
def secondment_renew(*, actor: Actor, secondment: Secondment) -> Secondment:
    """Renew a secondment by one year; refused past 7 years in one field operation or 10 years of
    OSCE service (over the person's secondments)."""
    secondment = Secondment.objects.select_for_update().get(pk=secondment.pk)
    mine = Secondment.objects.filter(person=secondment.person)
    total = sum(1 + renewals for renewals in mine.values_list("renewals", flat=True))
    if total + 1 > Secondment.MAX_YEARS_OF_SERVICE:
        raise Conflict(_("Renewal refused: it would exceed 10 years of OSCE service."))
    if secondment.field_operation_id:
        here = mine.filter(field_operation_id=secondment.field_operation_id)
        in_operation = sum(1 + renewals for renewals in here.values_list("renewals", flat=True))
        if in_operation + 1 > Secondment.MAX_YEARS_IN_OPERATION:
            raise Conflict(_("Renewal refused: it would exceed 7 years in one field operation."))
    previous = secondment.end
    secondment.end = add_years(secondment.end, 1)
    secondment.renewals += 1
    secondment.save(update_fields=["end", "renewals"])
    audit_record(
        actor=actor,
        action="secondment.renewed",
        target=secondment,
        data={"previous": previous.isoformat(), "end": secondment.end.isoformat()},
    )
    return secondment


# --- Personal data ------------------------------------------------------------------------------


def nominations_anonymise(*, today: datetime.date | None = None) -> int:
    """Anonymise candidates not selected, 12 months after their vacancy closed. Safe to run twice.

    Names, e-mail, motivation and CV go; the State, nationality, gender, status and history stay
    (facts for statistics and the audit trail, not the person).
    """
    day = today or _today()
    cutoff = timezone.make_aware(datetime.datetime.combine(add_years(day, -1), datetime.time.max))
    candidates = (
        Nomination.objects.filter(
            anonymised__isnull=True, vacancy__closed__isnull=False, vacancy__closed__lte=cutoff
        )
        .exclude(status=Nomination.Status.SELECTED)
        .order_by("pk")
    )
    count = 0
    for nomination in candidates:
        with transaction.atomic():
            cv_name = nomination.cv.name
            nomination.given_name = ""
            nomination.family_name = ""
            nomination.email = ""
            nomination.motivation = ""
            nomination.cv = ""
            nomination.anonymised = timezone.now()
            nomination.save()
            # Reasons are free text that may name the person: the history keeps the steps.
            NominationChange.objects.filter(nomination=nomination).update(reason="")
            AuditEntry.objects.filter(
                target_type="secondments.nomination", target_id=str(nomination.pk)
            ).update(reason="")
            audit_record(actor=None, action="nomination.anonymised", target=nomination)
            if cv_name:
                _delete_after_commit(cv_name)
        count += 1
    return count


def _delete_after_commit(name: str) -> None:
    """Delete a stored file once the transaction that stopped referring to it commits."""
    storage = Nomination._meta.get_field("cv").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: storage.delete(name))


# --- Calendar addresses -------------------------------------------------------------------------


def calendar_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, user: Any) -> tuple[CalendarToken, str]:
    """A new secret calendar address for ``user``; returns the row and the raw token (shown once)."""
    raw = secrets.token_urlsafe(24)
    token = CalendarToken.objects.create(user=user, digest=calendar_digest(raw))
    audit_record(actor=user, action="calendar_token.created", target=token)
    return token, raw


@transaction.atomic
def calendar_token_revoke(*, user: Any, token: CalendarToken) -> None:
    """Revoke one of ``user``'s calendar addresses."""
    if token.user_id != user.pk:
        raise ValidationError({"detail": [_("Not your calendar address.")]})
    CalendarToken.objects.filter(pk=token.pk, revoked__isnull=True).update(revoked=timezone.now())
    audit_record(actor=user, action="calendar_token.revoked", target=token)
