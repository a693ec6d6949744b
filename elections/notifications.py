"""E-mails to focal points about observer requests, each sent once (``SentNotification``): when an
activity opens for offers, and a few days before each of its two windows (LTO, STO) closes.

Kept small on purpose: the shared mail helper of ``core`` will take the sending over."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import FocalPoint
from elections.models import ObservationActivity, SentNotification
from states.models import State

User = get_user_model()

REQUESTED = "requested"
CLOSING_LTO = "closing-lto"
CLOSING_STO = "closing-sto"
KINDS = (REQUESTED, CLOSING_LTO, CLOSING_STO)
REMINDER_DAYS_BEFORE_CLOSE = 3


def _due(activity: ObservationActivity, kind: str) -> bool:
    """Whether the ``kind`` e-mail is still worth sending today (its window open)."""
    on = timezone.localdate()
    if kind == CLOSING_LTO:
        return activity.lto_requested > 0 and activity.lto_offers_open(on)
    if kind == CLOSING_STO:
        return activity.sto_requested > 0 and activity.sto_offers_open(on)
    return activity.requests_observers and activity.offers_open(on)


def focal_points_to_remind(activity: ObservationActivity) -> list[FocalPoint]:
    """Active focal points with an e-mail address, of participating States other than the host."""
    today = timezone.localdate()
    return list(
        FocalPoint.objects.select_related("user", "state")
        .filter(user__is_active=True, state__in=State.objects.participating(today))
        .exclude(user__email="")
        .exclude(state_id=activity.election.state_id)
        .order_by("state_id", "user_id")
    )


def notify_focal_points(*, activity: ObservationActivity, kind: str) -> int:
    """Send the ``kind`` e-mail about ``activity`` to every focal point not yet sent it.

    A unique key per (kind, activity, user) is written in the same transaction as the sending, so
    running twice sends nothing new, and a failed send leaves no key behind. Returns how many went.
    """
    if kind not in KINDS or not _due(activity, kind):
        return 0
    sent = 0
    for focal_point in focal_points_to_remind(activity):
        key = f"{kind}:{activity.pk}:{focal_point.user_id}"
        try:
            with transaction.atomic():
                _notification, created = SentNotification.objects.get_or_create(
                    key=key, defaults={"user": focal_point.user, "activity": activity}
                )
                if not created:
                    continue
                _send(activity=activity, kind=kind, focal_point=focal_point)
        except IntegrityError:  # a concurrent run took the key first
            continue
        sent += 1
    return sent


def _send(*, activity: ObservationActivity, kind: str, focal_point: FocalPoint) -> None:
    context = {
        "activity": activity,
        "election": activity.election,
        "state": focal_point.state,
        "user": focal_point.user,
        "kind": kind,
        "lto_until": activity.lto_last_day if activity.lto_requested else None,
        "sto_until": activity.sto_last_day if activity.sto_requested else None,
        "closes": activity.lto_last_day if kind == CLOSING_LTO else activity.sto_last_day,
        "path": f"/elections/{activity.election_id}/",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("elections/email/observers_subject.txt", context).strip()
        body = render_to_string("elections/email/observers_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [focal_point.user.email])
