"""Writes of election observation. Pages, API, admin and tasks all come through here.

Every function is the one door for its write: it asks ``elections.policies`` who may act, keeps the
rules (``core.errors.Invalid`` 400, ``Conflict`` 409), runs in one transaction
(``core.db.atomic_retry``), locks rows in the app's one order (election, activity, offer,
recommendation), writes the audit entry, publishes the webhook events (``election.created``,
``observation_activity.opened``, ``report.published``) and enqueues the e-mails after commit.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.db import atomic_retry
from core.errors import Conflict, Invalid, full_clean
from core.events import event_publish
from core.files import pdf_check, stored_or_removed
from core.tasks import enqueue
from elections import policies
from elections.models import (
    Election,
    ObservationActivity,
    ObserverOffer,
    OfferedObserver,
    Recommendation,
    RecommendationAssessment,
    Report,
)
from states.models import State, Topic

Actor = AbstractBaseUser | AnonymousUser | None

MAX_OBSERVERS = 10_000
REPORT_MAX_BYTES = 5 * 1024 * 1024
# How far ahead an election may be recorded (keeps dates sane and every date computable).
MAX_YEARS_AHEAD = 10
# An activity closes at most this long after election day (follow-up included).
MAX_DAYS_AFTER_ELECTION = 366

ELECTION_FIELDS = ("state", "kind", "date", "round", "first_round", "early", "note")
ACTIVITY_FIELDS = (
    "head",
    "opened",
    "closed",
    "core_team_size",
    "lto_requested",
    "sto_requested",
    "sto_deadline",
    "recommended_deployment",
    "note",
)
ROLES = (OfferedObserver.Role.LTO, OfferedObserver.Role.STO)
UNCHANGED: Any = object()  # a keyword left out (``None`` may mean "clear it")


def today() -> datetime.date:
    """Today in Vienna (TIME_ZONE): every window is a Vienna date."""
    return timezone.localdate()


def _user(actor: Actor) -> Any:
    """The acting user for a foreign key, or None for the system."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _check_fields(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise Invalid(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})


# --- elections ---------------------------------------------------------------------------------


def _election_data(election: Election) -> dict[str, Any]:
    return {
        "id": election.pk,
        "state": election.state_id,
        "kind": election.kind,
        "date": election.date.isoformat(),
        "round": election.round,
        "first_round": election.first_round_id,
        "early": election.early,
    }


def _validate_election(election: Election, activities: Sequence[ObservationActivity] = ()) -> None:
    full_clean(election)
    errors: dict[str, list[str]] = {}
    if election.date and election.date > datetime.date(today().year + MAX_YEARS_AHEAD, 12, 31):
        errors.setdefault("date", []).append(
            _("Election day is too far ahead (at most %(years)d years).") % {"years": MAX_YEARS_AHEAD}
        )
    for activity in activities:
        activity.election = election
        try:
            _check_activity_dates(activity)
        except Invalid as error:
            errors.setdefault("date", []).append(
                _("The %(kind)s does not fit the new election day: %(problem)s")
                % {"kind": activity.kind, "problem": error.message}
            )
    if errors:
        raise Invalid(errors=errors)


@atomic_retry
def election_create(
    *,
    actor: Actor,
    state: State,
    kind: str,
    date: datetime.date,
    round: int = 1,
    first_round: Election | None = None,
    early: bool = False,
    note: str = "",
) -> Election:
    """Record an election (a round, an early election, a referendum); ODIHR.

    Publishes ``election.created`` (delivered to webhooks). 400: a State not participating on
    election day, a later round without its first round (of the same State, earlier), a date too
    far ahead, the same State, kind and day twice.
    """
    policies.election_manage(actor)
    election = Election(
        state=state, kind=kind, date=date, round=round, first_round=first_round, early=early, note=note
    )
    _validate_election(election)
    try:
        with transaction.atomic():
            election.save()
    except IntegrityError as error:  # a concurrent request recorded the same election
        raise Invalid(errors={"date": _("This election is already recorded.")}) from error
    audit_record(actor=actor, action="election.created", target=election, data=_election_data(election))
    event_publish(name="election.created", data=_election_data(election))
    return election


@atomic_retry
def election_update(*, actor: Actor, election: Election, **changes: Any) -> Election:
    """Change an election's State, kind, day, round, first round, early flag or note; ODIHR.

    The State changes only while the election has no observation activity (offers and reports
    belong to the State it was recorded for); a new election day must still fit its activities.
    """
    policies.election_manage(actor, election)
    _check_fields(changes, ELECTION_FIELDS)
    election = Election.objects.select_for_update(of=("self",)).get(pk=election.pk)
    activities = list(ObservationActivity.objects.filter(election=election))
    if "state" in changes and changes["state"] != election.state and activities:
        raise Invalid(
            errors={"state": _("The election has observation activities: its State can no longer change.")}
        )
    before = {name: getattr(election, name) for name in changes}
    for name, value in changes.items():
        setattr(election, name, value)
    _validate_election(election, activities)
    try:
        with transaction.atomic():
            election.save()
    except IntegrityError as error:
        raise Invalid(errors={"date": _("This election is already recorded.")}) from error
    audit_record(
        actor=actor,
        action="election.updated",
        target=election,
        data={name: str(value) for name, value in changes.items() if before[name] != value},
    )
    return election


# --- observation activities -------------------------------------------------------------------


def _check_activity_dates(activity: ObservationActivity) -> None:
    """An activity opens on or before election day and closes within a year after it; STO offers
    close before election day (the model's ``clean``)."""
    errors: dict[str, list[str]] = {}
    election_day = activity.election.date
    if activity.opened and activity.opened > election_day:
        errors.setdefault("opened", []).append(_("An activity opens on or before election day."))
    if activity.closed and activity.closed > election_day + datetime.timedelta(days=MAX_DAYS_AFTER_ELECTION):
        errors.setdefault("closed", []).append(_("An activity closes within a year after election day."))
    if activity.sto_deadline and activity.sto_deadline >= election_day:
        errors.setdefault("sto_deadline", []).append(
            _("Short-term observers are offered before election day.")
        )
    if errors:
        raise Invalid(errors=errors)


def _activity_data(activity: ObservationActivity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "election": activity.election_id,
        "state": activity.election.state_id,
        "kind": activity.kind,
        "opened": activity.opened.isoformat(),
        "lto_requested": activity.lto_requested,
        "sto_requested": activity.sto_requested,
        "lto_offers_until": activity.lto_last_day.isoformat(),
        "sto_offers_until": activity.sto_last_day.isoformat(),
    }


def _open_for_offers(*, actor: Actor, activity: ObservationActivity) -> None:
    """When an activity first requests observers while a window is open, it opens for offers:
    ``observation_activity.opened`` is published once, and the focal points are told (each once:
    the task's send-once keys; it runs again after each change, for focal points added since)."""
    if not activity.requests_observers or not activity.offers_open(today()):
        return
    if activity.offers_opened is None:
        activity.offers_opened = timezone.now()
        activity.save(update_fields=["offers_opened", "updated"])
        audit_record(actor=actor, action="observation_activity.opened", target=activity)
        event_publish(name="observation_activity.opened", data=_activity_data(activity))
    enqueue("elections.tasks.remind_observers_requested", activity.pk)


def _save_activity(activity: ObservationActivity) -> None:
    full_clean(activity)
    _check_activity_dates(activity)
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError as error:  # a concurrent request recorded the election's deployment
        raise Invalid(errors={"kind": _("The election already has an activity of this kind.")}) from error


@atomic_retry
def activity_create(
    *, actor: Actor, election: Election, kind: str, opened: datetime.date, **fields: Any
) -> ObservationActivity:
    """Record a NAM or a deployment (EOM, LEOM, EAM: at most one per election) for ``election``;
    ODIHR. When it requests observers, it opens for offers (event, e-mails after commit)."""
    policies.activity_manage(actor)
    _check_fields(fields, ACTIVITY_FIELDS)
    election = Election.objects.select_for_update(of=("self",)).get(pk=election.pk)
    activity = ObservationActivity(election=election, kind=kind, opened=opened, **fields)
    _save_activity(activity)
    audit_record(
        actor=actor,
        action="observation_activity.created",
        target=activity,
        data={"kind": kind, "lto_requested": activity.lto_requested, "sto_requested": activity.sto_requested},
    )
    _open_for_offers(actor=actor, activity=activity)
    return activity


@atomic_retry
def activity_update(*, actor: Actor, activity: ObservationActivity, **changes: Any) -> ObservationActivity:
    """Change an activity's head, dates, team size, requested observers or STO deadline; ODIHR."""
    policies.activity_manage(actor, activity)
    _check_fields(changes, ACTIVITY_FIELDS)
    Election.objects.select_for_update(of=("self",)).get(pk=activity.election_id)
    activity = (
        ObservationActivity.objects.select_for_update(of=("self",))
        .select_related("election")
        .get(pk=activity.pk)
    )
    before = {name: getattr(activity, name) for name in changes}
    for name, value in changes.items():
        setattr(activity, name, value)
    _save_activity(activity)
    audit_record(
        actor=actor,
        action="observation_activity.updated",
        target=activity,
        data={name: str(value) for name, value in changes.items() if before[name] != value},
    )
    _open_for_offers(actor=actor, activity=activity)
    return activity


# --- observer offers ----------------------------------------------------------------------------


def _check_numbers(**numbers: Any) -> None:
    errors: dict[str, list[str]] = {}
    for name, value in numbers.items():
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.setdefault(name, []).append(_("Offer a whole number of observers, zero or more."))
        elif value > MAX_OBSERVERS:
            errors.setdefault(name, []).append(
                _("Offer at most %(max)d observers at a time.") % {"max": MAX_OBSERVERS}
            )
    if errors:
        raise Invalid(errors=errors)


def _named(observers: Sequence[Mapping[str, Any]]) -> list[OfferedObserver]:
    named: list[OfferedObserver] = []
    for item in observers:
        languages = item.get("languages") or []
        if not isinstance(languages, list | tuple) or not all(
            isinstance(code, str) and re.fullmatch(r"[a-z]{2}", code) for code in languages
        ):
            raise Invalid(
                errors={"observers": _("Give languages as two-letter ISO 639-1 codes (en, ru, ...).")}
            )
        observer = OfferedObserver(
            name=str(item.get("name", "")).strip(),
            role=str(item.get("role", "")),
            languages=list(languages),
            experience=str(item.get("experience", "")),
        )
        try:
            full_clean(observer, exclude=["offer"])
        except Invalid as error:
            raise Invalid(errors={"observers": error.messages}) from error
        named.append(observer)
    return named


def _check_named(named: Sequence[OfferedObserver], *, lto: int, sto: int) -> None:
    counts = {OfferedObserver.Role.LTO: lto, OfferedObserver.Role.STO: sto}
    for role, count in counts.items():
        if sum(1 for observer in named if observer.role == role) > count:
            raise Invalid(errors={"observers": _("Name no more observers than you offer.")})


def _closed_message(activity: ObservationActivity, role: str) -> str:
    if activity.closed is not None and activity.closed <= today():
        return _("This activity is closed: it takes no more offers.")
    if role == OfferedObserver.Role.LTO:
        return _(
            "Long-term observers were offered until %(date)s, the day the deployment started: "
            "offers closed then."
        ) % {"date": activity.lto_last_day.isoformat()}
    return _("Short-term observers were offered until %(date)s: offers closed then.") % {
        "date": activity.sto_last_day.isoformat()
    }


def _require_windows(activity: ObservationActivity, roles: Iterable[str]) -> None:
    """Every window in ``roles`` is open today, else 409."""
    on = today()
    for role in ROLES:
        if role in roles and not activity.window_open(role, on):
            raise Conflict(_closed_message(activity, role))


def _lock_activity(activity_id: int) -> ObservationActivity:
    """Lock an activity whose offers or reports are about to change. What the API answers for it
    (offered totals, reports) changes with them, so its ``updated`` moves too (incremental sync)."""
    activity = (
        ObservationActivity.objects.select_for_update(of=("self",))
        .select_related("election", "election__state")
        .get(pk=activity_id)
    )
    activity.save(update_fields=["updated"])
    return activity


@atomic_retry
def observer_offer_create(
    *,
    actor: Actor,
    activity: ObservationActivity,
    lto: int,
    sto: int,
    note: str = "",
    observers: Sequence[Mapping[str, Any]] = (),
) -> ObserverOffer:
    """The focal point's State offers observers to an activity.

    Refused (400): negative numbers, nothing offered, the host State offering, an activity that
    takes no observers (a NAM), named observers beyond the numbers offered. Refused (409): LTOs
    after the LTO window (it closes when the deployment opens), STOs after the STO window
    (``sto_deadline``, else the day before election day), or the activity closed.
    """
    state = policies.offer_create(actor, activity)
    _check_numbers(lto=lto, sto=sto)
    if lto == 0 and sto == 0:
        raise Invalid(_("Offer at least one long-term or short-term observer."))
    activity = _lock_activity(activity.pk)
    if state.pk == activity.election.state_id:
        raise Invalid(
            _("%(state)s hosts this election: the host State may not offer observers.")
            % {"state": state.name}
        )
    if activity.kind == ObservationActivity.Kind.NAM:
        raise Invalid(_("A needs-assessment mission takes no observers."))
    if not State.objects.participating(today()).filter(pk=state.pk).exists():
        raise Invalid(_("Only participating States offer observers."))
    named = _named(observers)
    _check_named(named, lto=lto, sto=sto)
    _require_windows(activity, [role for role, count in (("lto", lto), ("sto", sto)) if count])
    offer = ObserverOffer(
        activity=activity, state=state, lto=lto, sto=sto, note=note, offered_by=_user(actor)
    )
    full_clean(offer)
    offer.save()
    for observer in named:
        observer.offer = offer
    OfferedObserver.objects.bulk_create(named)
    audit_record(
        actor=actor,
        action="observer_offer.created",
        target=offer,
        data={"activity": activity.pk, "state": state.pk, "lto": lto, "sto": sto, "named": len(named)},
    )
    return offer


def _named_by_role(observers: Iterable[OfferedObserver]) -> dict[str, list[tuple[str, list[str], str]]]:
    by_role: dict[str, list[tuple[str, list[str], str]]] = {role: [] for role in ROLES}
    for observer in observers:
        by_role.setdefault(observer.role, []).append(
            (observer.name, list(observer.languages), observer.experience)
        )
    return by_role


def _lock_offer(offer: ObserverOffer) -> tuple[ObservationActivity, ObserverOffer]:
    """Lock the offer's activity, then the offer (the app's lock order)."""
    activity = _lock_activity(offer.activity_id)
    locked = ObserverOffer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
    locked.activity = activity
    return activity, locked


@atomic_retry
def observer_offer_update(
    *,
    actor: Actor,
    offer: ObserverOffer,
    lto: int | None = None,
    sto: int | None = None,
    note: str | None = None,
    observers: Sequence[Mapping[str, Any]] | None = None,
) -> ObserverOffer:
    """The offering State changes its offer: numbers, note, named observers (``observers``
    replaces the list). A change of LTOs (their number or names) needs the LTO window open, of STOs
    the STO window (409 after); a note alone, either. 400: bad numbers, nothing left (withdraw the
    offer instead), more names than observers."""
    policies.offer_change(actor, offer)
    _check_numbers(lto=lto, sto=sto)
    activity, offer = _lock_offer(offer)
    new_lto = offer.lto if lto is None else lto
    new_sto = offer.sto if sto is None else sto
    if new_lto == 0 and new_sto == 0:
        raise Invalid(_("An offer keeps at least one observer: withdraw it instead."))
    current = list(offer.observers.all())
    named = _named(observers) if observers is not None else current
    _check_named(named, lto=new_lto, sto=new_sto)
    touched: set[str] = set()
    if new_lto != offer.lto:
        touched.add(OfferedObserver.Role.LTO)
    if new_sto != offer.sto:
        touched.add(OfferedObserver.Role.STO)
    if observers is not None:
        old, new = _named_by_role(current), _named_by_role(named)
        touched |= {role for role in ROLES if old.get(role) != new.get(role)}
    if touched:
        _require_windows(activity, touched)
    elif not activity.offers_open(today()):
        raise Conflict(_closed_message(activity, OfferedObserver.Role.STO))
    before = {"lto": offer.lto, "sto": offer.sto}
    offer.lto, offer.sto = new_lto, new_sto
    if note is not None:
        offer.note = note
    full_clean(offer)
    offer.save()
    if observers is not None:
        offer.observers.all().delete()
        for observer in named:
            observer.offer = offer
        OfferedObserver.objects.bulk_create(named)
    audit_record(
        actor=actor,
        action="observer_offer.changed",
        target=offer,
        data={"before": before, "lto": new_lto, "sto": new_sto, "named": len(named)},
    )
    return offer


@atomic_retry
def observer_offer_withdraw(*, actor: Actor, offer: ObserverOffer) -> None:
    """The offering State withdraws its offer while the window of each of its numbers is open
    (an offer with LTOs: until the deployment starts; with STOs only: until the STO deadline);
    409 after. The offer and its named observers are removed; the audit trail keeps the fact."""
    policies.offer_change(actor, offer)
    activity, offer = _lock_offer(offer)
    _require_windows(activity, [role for role, count in (("lto", offer.lto), ("sto", offer.sto)) if count])
    audit_record(
        actor=actor,
        action="observer_offer.withdrawn",
        target=offer,
        data={"activity": activity.pk, "state": offer.state_id, "lto": offer.lto, "sto": offer.sto},
    )
    offer.delete()


# --- reports ---------------------------------------------------------------------------------------


def _report_storage() -> Any:
    return Report._meta.get_field("file").storage  # type: ignore[attr-defined]


@atomic_retry
def report_add(
    *,
    actor: Actor,
    activity: ObservationActivity,
    kind: str,
    published: datetime.date,
    title: str,
    link: str = "",
    file: UploadedFile | None = None,
) -> Report:
    """Publish a report of ``activity`` (a link, or a PDF checked by its content, at most 5 MB);
    ODIHR. A NAM publishes the needs-assessment report, a deployment the others. Publishes
    ``report.published``."""
    policies.report_publish(actor, activity)
    activity = _lock_activity(activity.pk)
    if file is not None:
        pdf_check(file, field="file", max_bytes=REPORT_MAX_BYTES)
    if file is None and not link:
        raise Invalid(errors={"file": _("Give a link or upload the PDF.")})
    report = Report(activity=activity, kind=kind, published=published, title=title, link=link)
    stored: list[str] = []
    with stored_or_removed(_report_storage(), stored):  # a refused or failed write keeps no file
        if file is not None:
            report.file.save("report.pdf", file, save=False)
            stored.append(report.file.name or "")
        full_clean(report)
        report.save()
        audit_record(
            actor=actor,
            action="report.published",
            target=report,
            data={"kind": kind, "activity": activity.pk},
        )
        event_publish(
            name="report.published",
            data={
                "id": report.pk,
                "activity": activity.pk,
                "election": activity.election_id,
                "state": activity.election.state_id,
                "kind": report.kind,
                "title": report.title,
                "published": report.published.isoformat(),
            },
        )
    return report


# --- recommendations ------------------------------------------------------------------------------


def _final_report(activity: ObservationActivity) -> Report:
    report = (
        Report.objects.filter(activity=activity, kind=Report.Kind.FINAL).order_by("-published", "-id").first()
    )
    if report is None:
        raise Conflict(_("Recommendations come from the final report: publish it first."))
    return report


@atomic_retry
def recommendation_add(
    *,
    actor: Actor,
    text: str,
    report: Report | None = None,
    activity: ObservationActivity | None = None,
    topic: Topic | None = None,
    number: int | None = None,
) -> Recommendation:
    """Add a recommendation of a final report (``report``, or ``activity``'s final report: 409 when
    it has none); ODIHR. Its history starts as ``pending`` on the report's date."""
    policies.recommendation_manage(actor)
    if report is None:
        if activity is None:
            raise Invalid(errors={"activity": _("Name the activity whose final report recommends this.")})
        report = _final_report(activity)
    elif activity is not None and report.activity_id != activity.pk:
        raise Invalid(errors={"report": _("The report is not one of this activity's.")})
    if number is None:
        number = Recommendation.objects.filter(report=report).count() + 1
    recommendation = Recommendation(report=report, text=text, topic=topic, number=number)
    full_clean(recommendation)
    recommendation.save()
    RecommendationAssessment.objects.create(
        recommendation=recommendation,
        status=Recommendation.Status.PENDING,
        assessed_on=report.published,
        assessed_by=_user(actor),
    )
    audit_record(
        actor=actor, action="recommendation.created", target=recommendation, data={"report": report.pk}
    )
    return recommendation


@atomic_retry
def recommendation_update(
    *,
    actor: Actor,
    recommendation: Recommendation,
    text: str | None = None,
    topic: Topic | object | None = UNCHANGED,
    number: int | None = None,
) -> Recommendation:
    """Correct a recommendation's text, topic (``None`` clears it) or number; ODIHR. Its status
    changes only through assessments."""
    policies.recommendation_manage(actor, recommendation)
    recommendation = Recommendation.objects.select_for_update(of=("self",)).get(pk=recommendation.pk)
    changed = []
    if text is not None:
        recommendation.text = text
        changed.append("text")
    if topic is not UNCHANGED:
        recommendation.topic = topic  # type: ignore[assignment]
        changed.append("topic")
    if number is not None:
        recommendation.number = number
        changed.append("number")
    full_clean(recommendation)
    recommendation.save()
    audit_record(
        actor=actor, action="recommendation.updated", target=recommendation, data={"fields": changed}
    )
    return recommendation


@atomic_retry
def recommendation_assess(
    *,
    actor: Actor,
    recommendation: Recommendation,
    status: str,
    assessed_on: datetime.date,
    activity: ObservationActivity | None = None,
    note: str = "",
) -> RecommendationAssessment:
    """Rate how far a recommendation was implemented; ODIHR. Adds a row to its history (never
    overwrites one) and sets its current status to the latest rating by date (a rating recorded
    late for an earlier date joins the history without changing the status)."""
    policies.recommendation_assess(actor, recommendation)
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("report")
        .get(pk=recommendation.pk)
    )
    assessment = RecommendationAssessment(
        recommendation=recommendation,
        status=status,
        assessed_on=assessed_on,
        activity=activity,
        note=note,
        assessed_by=_user(actor),
    )
    full_clean(assessment)
    if assessed_on < recommendation.report.published:
        raise Invalid(errors={"assessed_on": _("A recommendation is rated on or after its report's date.")})
    assessment.save()
    latest = recommendation.assessments.order_by("-assessed_on", "-id").first()
    assert latest is not None
    recommendation.status = latest.status
    recommendation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="recommendation.assessed",
        target=recommendation,
        data={"status": status, "assessed_on": assessed_on.isoformat(), "current": recommendation.status},
    )
    return assessment
