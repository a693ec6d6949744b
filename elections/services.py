"""Writes of election observation. Pages, API, admin and tasks all come through here."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import Conflict
from core.events import event_publish
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

ACTIVITY_FIELDS = (
    "head",
    "opened",
    "closed",
    "core_team_size",
    "lto_requested",
    "sto_requested",
    "recommended_deployment",
    "note",
)


@transaction.atomic
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
    """Record an election; publishes ``election.created`` (delivered to webhooks)."""
    election = Election(
        state=state, kind=kind, date=date, round=round, first_round=first_round, early=early, note=note
    )
    election.full_clean()
    election.save()
    audit_record(actor=actor, action="election.created", target=election, data=_election_data(election))
    event_publish(name="election.created", data=_election_data(election))
    return election


def _user(actor: Actor) -> Any:
    """The acting user, or None for the system and anonymous callers."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


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


def _enqueue_observers_requested(activity: ObservationActivity) -> None:
    if activity.requests_observers and activity.offers_open(timezone.localdate()):
        from elections.tasks import remind_observers_requested

        activity_id = activity.pk
        transaction.on_commit(lambda: remind_observers_requested.delay(activity_id))


@transaction.atomic
def activity_create(
    *, actor: Actor, election: Election, kind: str, opened: datetime.date, **fields: Any
) -> ObservationActivity:
    """Record a NAM or a deployment for ``election``.

    When it requests observers, focal points are told (once) after commit.
    """
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    activity = ObservationActivity(election=election, kind=kind, opened=opened, **fields)
    activity.full_clean()
    activity.save()
    audit_record(
        actor=actor,
        action="observation_activity.created",
        target=activity,
        data={"kind": kind, "lto_requested": activity.lto_requested, "sto_requested": activity.sto_requested},
    )
    _enqueue_observers_requested(activity)
    return activity


@transaction.atomic
def activity_update(*, actor: Actor, activity: ObservationActivity, **changes: Any) -> ObservationActivity:
    """Change an activity's head, dates, team size or requested observers."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    activity = ObservationActivity.objects.select_for_update().get(pk=activity.pk)
    before = {name: getattr(activity, name) for name in changes}
    for name, value in changes.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    audit_record(
        actor=actor,
        action="observation_activity.updated",
        target=activity,
        data={name: str(value) for name, value in changes.items() if before[name] != value},
    )
    _enqueue_observers_requested(activity)
    return activity


@transaction.atomic
def observer_offer_create(
    *,
    actor: Actor,
    activity: ObservationActivity,
    state: State | None,
    lto: int,
    sto: int,
    note: str = "",
    observers: Sequence[dict[str, Any]] = (),
) -> ObserverOffer:
    """A State offers observers to an activity.

    Refused (400): negative numbers, nothing offered, the host State offering, an activity that
    takes no observers, named observers beyond the numbers offered. Refused (409): the deployment has
    started (offers close on ``opened``) or the activity is closed.
    """
    errors: dict[str, list[str]] = {}
    for name, value in (("lto", lto), ("sto", sto)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors.setdefault(name, []).append(_("Offer a whole number of observers, zero or more."))
        elif value > MAX_OBSERVERS:
            errors.setdefault(name, []).append(
                _("Offer at most %(max)d observers at a time.") % {"max": MAX_OBSERVERS}
            )
    if errors:
        raise ValidationError(errors)
    if lto == 0 and sto == 0:
        raise ValidationError(_("Offer at least one long-term or short-term observer."))
    if state is None:
        raise ValidationError(_("Only a focal point offers observers, for the State it acts for."))
    activity = ObservationActivity.objects.select_for_update().select_related("election").get(pk=activity.pk)
    if state.pk == activity.election.state_id:
        raise ValidationError(
            _("%(state)s hosts this election: the host State may not offer observers.")
            % {"state": state.name}
        )
    if activity.kind == ObservationActivity.Kind.NAM:
        raise ValidationError(_("A needs-assessment mission takes no observers."))
    if not State.objects.participating(timezone.localdate()).filter(pk=state.pk).exists():
        raise ValidationError(_("Only participating States offer observers."))
    roles = {OfferedObserver.Role.LTO: lto, OfferedObserver.Role.STO: sto}
    named: list[OfferedObserver] = []
    for item in observers:
        observer = OfferedObserver(
            name=str(item.get("name", "")).strip(),
            role=item.get("role", ""),
            languages=list(item.get("languages") or []),
            experience=str(item.get("experience", "")),
        )
        observer.full_clean(exclude=["offer"])
        if not all(isinstance(code, str) and re.fullmatch(r"[a-z]{2}", code) for code in observer.languages):
            raise ValidationError(
                {"observers": [_("Give languages as two-letter ISO 639-1 codes (en, ru, ...).")]}
            )
        named.append(observer)
    for role, count in roles.items():
        if sum(1 for observer in named if observer.role == role) > count:
            raise ValidationError({"observers": [_("Name no more observers than you offer.")]})
    today = timezone.localdate()
    if not activity.offers_open(today):
        if activity.closed is not None and activity.closed <= today:
            raise Conflict(_("This activity is closed: it takes no more offers."))
        raise Conflict(
            _("The deployment started on %(date)s: offers closed then.")
            % {"date": activity.opened.isoformat()}
        )
    offer = ObserverOffer(activity=activity, state=state, lto=lto, sto=sto, note=note)
    offer.offered_by = _user(actor)
    offer.full_clean()
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


@transaction.atomic
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
    """Publish a report of ``activity``, as a link or an uploaded PDF."""
    report = Report(activity=activity, kind=kind, published=published, title=title, link=link)
    if file is not None:
        if not file.read(5).startswith(b"%PDF-"):
            raise ValidationError({"file": [_("Upload a PDF file.")]})
        file.seek(0)
        report.file = file  # type: ignore[assignment]
    report.full_clean()
    report.save()
    audit_record(
        actor=actor, action="report.published", target=report, data={"kind": kind, "activity": activity.pk}
    )
    return report


@transaction.atomic
def recommendation_add(
    *, actor: Actor, report: Report, text: str, topic: Topic | None = None, number: int | None = None
) -> Recommendation:
    """Add a recommendation to a final report; its history starts as ``pending`` on the report's date."""
    if number is None:
        number = report.recommendations.count() + 1
    recommendation = Recommendation(report=report, text=text, topic=topic, number=number)
    recommendation.full_clean()
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


@transaction.atomic
def recommendation_assess(
    *,
    actor: Actor,
    recommendation: Recommendation,
    status: str,
    assessed_on: datetime.date,
    activity: ObservationActivity | None = None,
    note: str = "",
) -> RecommendationAssessment:
    """Rate how far a recommendation was implemented. Adds a row to its history (never overwrites
    one) and sets its current status to the latest rating by date."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    assessment = RecommendationAssessment(
        recommendation=recommendation,
        status=status,
        assessed_on=assessed_on,
        activity=activity,
        note=note,
        assessed_by=_user(actor),
    )
    assessment.full_clean()
    if assessed_on < recommendation.report.published:
        raise ValidationError({"assessed_on": [_("A recommendation is rated after its report.")]})
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
