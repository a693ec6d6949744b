"""E-mails to focal points about observer requests, each sent once (``core.mail.mail_send``): when
an activity opens for offers, and a few days before each of its two windows (LTO, STO) closes."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.models import FocalPoint
from core.mail import mail_send
from elections.models import ObservationActivity
from states.models import State

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
    """Active focal points of participating States other than the host."""
    today = timezone.localdate()
    return list(
        FocalPoint.objects.select_related("user", "state")
        .filter(user__is_active=True, state__in=State.objects.participating(today))
        .exclude(state_id=activity.election.state_id)
        .order_by("state_id", "user_id")
    )


def notify_focal_points(*, activity: ObservationActivity, kind: str) -> int:
    """Send the ``kind`` e-mail about ``activity`` to every focal point not yet sent it.

    Through ``core.mail.mail_send``, keyed per (kind, activity): running twice sends nothing new,
    and a failed send is retried. Returns how many went.
    """
    if kind not in KINDS or not _due(activity, kind):
        return 0
    context = {
        "activity": activity,
        "election": activity.election,
        "kind": kind,
        "lto_until": activity.lto_last_day if activity.lto_requested else None,
        "sto_until": activity.sto_last_day if activity.sto_requested else None,
        "closes": activity.lto_last_day if kind == CLOSING_LTO else activity.sto_last_day,
    }
    sent = 0
    for focal_point in focal_points_to_remind(activity):
        sent += mail_send(
            to_users=[focal_point.user],
            template="elections/email/observers",
            context={**context, "state": focal_point.state},
            key=f"observers-{kind}:{activity.pk}",
            path=reverse("elections:detail", args=[activity.election_id]),
        )
    return sent
