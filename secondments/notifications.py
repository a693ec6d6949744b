"""E-mails of the secondment cycle, each sent once through ``core.mail.mail_send`` (in the
recipient's language, absolute links, listed on the recipient's notifications page).

Who gets what, and why they may see it:

- a vacancy is published: the focal points of every participating State (and, for seconded S1/S2
  posts open to Partners, the Partners' focal points and contact mailboxes), and users whose saved
  search asks for instant alerts: the vacancy is public;
- a nomination is received, or HR shortlists, selects or rejects it: the focal points of the State
  (or Partner) that nominated, never another's;
- all posts of a vacancy are filled: the focal points of the States and Partners whose nominations
  remained open (and were rejected by the filling);
- 7 and 2 days before a deadline: the focal points of participating States that have not nominated;
- daily: HR gets a digest of the nominations submitted the day before, and saved searches their
  digest of the vacancies published the day before; HR is reminded of secondments ending within 60
  days.

Demo rows (``generate_demo_data``) never reach an inbox.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import FocalPoint
from accounts.roles import ROLE_HR
from core.mail import mail_send
from secondments.models import Nomination, PartnerContact, SavedSearch, Secondment, Vacancy
from states.models import State

REMINDER_DAYS = (7, 2)
SECONDMENT_END_NOTICE_DAYS = 60
STATUS_NOTICES = (Nomination.Status.SHORTLISTED, Nomination.Status.SELECTED, Nomination.Status.REJECTED)
EMAIL = "secondments/email/"


def focal_points(*, on: datetime.date | None = None) -> QuerySet[FocalPoint]:
    """Active focal points of the States participating on ``on`` (today)."""
    day = on or timezone.localdate()
    return FocalPoint.objects.select_related("user").filter(
        user__is_active=True, state__in=State.objects.participating(day)
    )


def nominator_users(nominations: Iterable[Nomination]) -> list[Any]:
    """The active focal points of the States and Partners that made ``nominations``: the only
    people besides HR allowed to read them."""
    states = {nomination.state_id for nomination in nominations if nomination.state_id}
    partners = {nomination.partner_id for nomination in nominations if nomination.partner_id}
    if not states and not partners:
        return []
    links = FocalPoint.objects.select_related("user").filter(user__is_active=True)
    return [
        link.user
        for link in links.order_by("user_id")
        if link.state_id in states or link.partner_id in partners
    ]


def hr_users() -> QuerySet[Any]:
    return get_user_model().objects.filter(groups__name=ROLE_HR, is_active=True).order_by("pk")


def _load(vacancy_id: int) -> Vacancy | None:
    return Vacancy.objects.select_related("field_operation", "body").filter(pk=vacancy_id).first()


def _vacancy_path(vacancy: Vacancy) -> str:
    return reverse("secondments:detail", args=[vacancy.reference])


def vacancy_alert(*, vacancy_id: int) -> int:
    """A published vacancy: alert the focal points of every participating State, the Partners'
    focal points and contacts for S1/S2 posts open to them, and users whose saved search asks for
    instant alerts."""
    vacancy = _load(vacancy_id)
    if vacancy is None or vacancy.status == Vacancy.Status.DRAFT or vacancy.is_demo:
        return 0
    users = [link.user for link in focal_points()]
    addresses: list[str] = []
    if vacancy.accepts_partners:
        users += [
            link.user for link in FocalPoint.objects.select_related("user").filter(partner__isnull=False)
        ]
        addresses = list(PartnerContact.objects.values_list("email", flat=True))
    context = {"vacancy": vacancy}
    path = _vacancy_path(vacancy)
    template = EMAIL + "vacancy_published"
    sent = mail_send(
        to_users=users,
        to_addresses=addresses,
        template=template,
        context=context,
        key=f"vacancy-published:{vacancy.pk}",
        path=path,
    )
    for search in SavedSearch.objects.select_related("user").filter(frequency=SavedSearch.Frequency.INSTANT):
        if saved_search_matches(search).filter(pk=vacancy.pk).exists():
            sent += mail_send(
                to_users=[search.user],
                template=template,
                context=context,
                key=f"search-instant:{search.pk}:vacancy:{vacancy.pk}",
                path=path,
            )
    return sent


def saved_search_matches(search: SavedSearch):  # type: ignore[no-untyped-def]
    """The public vacancies matching a saved search's filters."""
    from secondments.filters import VacancyFilter

    # Demo vacancies (generate_demo_data) never reach anybody's inbox.
    queryset = (
        Vacancy.objects.exclude(status=Vacancy.Status.DRAFT)
        .filter(is_demo=False)
        .select_related("field_operation", "body")
    )
    filterset = VacancyFilter(data=search.query or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none()
    return filterset.qs


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of ``day`` and of the next day, in the portal's time zone (Vienna)."""
    midnight = datetime.time.min
    start = datetime.datetime.combine(day, midnight)
    return timezone.make_aware(start), timezone.make_aware(start + datetime.timedelta(days=1))


def saved_search_digests(*, on: datetime.date | None = None) -> int:
    """One daily e-mail per saved search with the vacancies published the day before."""
    day = on or timezone.localdate()
    since, until = _day_bounds(day - datetime.timedelta(days=1))
    sent = 0
    for search in SavedSearch.objects.select_related("user").filter(frequency=SavedSearch.Frequency.DAILY):
        new = list(saved_search_matches(search).filter(published__gte=since, published__lt=until))
        if not new:
            continue
        query = urlencode(search.query or {}, doseq=True)
        sent += mail_send(
            to_users=[search.user],
            template=EMAIL + "search_daily",
            context={"search": search, "vacancies": new},
            key=f"search-daily:{search.pk}:{day.isoformat()}",
            path=reverse("secondments:list") + (f"?{query}" if query else ""),
        )
    return sent


def deadline_reminders(*, on: datetime.date | None = None) -> int:
    """Remind States without a nomination 7 and 2 days before an open vacancy's deadline."""
    day = on or timezone.localdate()
    links = list(focal_points(on=day))
    sent = 0
    for days in REMINDER_DAYS:
        target = day + datetime.timedelta(days=days)
        for vacancy in Vacancy.objects.select_related("field_operation", "body").filter(
            status=Vacancy.Status.OPEN, deadline=target, is_demo=False
        ):
            nominated = set(
                Nomination.objects.filter(vacancy=vacancy)
                .exclude(status=Nomination.Status.WITHDRAWN)
                .values_list("state_id", flat=True)
            )
            sent += mail_send(
                to_users=[link.user for link in links if link.state_id not in nominated],
                template=EMAIL + "deadline_reminder",
                context={"vacancy": vacancy, "days": days},
                key=f"deadline-reminder:{vacancy.pk}:{vacancy.deadline.isoformat()}:{days}d",
                path=_vacancy_path(vacancy),
            )
    return sent


def vacancy_filled_notice(*, vacancy_id: int) -> int:
    """Tell the States and Partners whose nominations remained open that all posts are filled."""
    vacancy = _load(vacancy_id)
    if vacancy is None or vacancy.is_demo:
        return 0
    rejected = Nomination.objects.filter(vacancy=vacancy, status=Nomination.Status.REJECTED)
    return mail_send(
        to_users=nominator_users(rejected),
        template=EMAIL + "vacancy_filled",
        context={"vacancy": vacancy},
        key=f"vacancy-filled:{vacancy.pk}",
        path=_vacancy_path(vacancy),
    )


def _load_nomination(nomination_id: int) -> Nomination | None:
    return (
        Nomination.objects.select_related("vacancy__field_operation", "vacancy__body", "state", "partner")
        .filter(pk=nomination_id, vacancy__is_demo=False)
        .first()
    )


def nomination_received(*, nomination_id: int) -> int:
    """Tell the nominating State's (or Partner's) focal points that the nomination arrived."""
    nomination = _load_nomination(nomination_id)
    if nomination is None:
        return 0
    return mail_send(
        to_users=nominator_users([nomination]),
        template=EMAIL + "nomination_received",
        context={"nomination": nomination, "vacancy": nomination.vacancy},
        key=f"nomination-received:{nomination.pk}",
        path=reverse("secondments:nomination", args=[nomination.pk]),
    )


def nomination_status_notice(*, nomination_id: int, status: str, reason: str = "") -> int:
    """Tell the nominating State's (or Partner's) focal points that HR shortlisted, selected or
    rejected its nomination. Each status is told once (a nomination reaches each status once)."""
    nomination = _load_nomination(nomination_id)
    if nomination is None or status not in STATUS_NOTICES or nomination.status != status:
        return 0
    return mail_send(
        to_users=nominator_users([nomination]),
        template=EMAIL + "nomination_status",
        context={"nomination": nomination, "vacancy": nomination.vacancy, "reason": reason},
        key=f"nomination-status:{nomination.pk}:{status}",
        path=reverse("secondments:nomination", args=[nomination.pk]),
    )


def nominations_digest(*, on: datetime.date | None = None) -> int:
    """HR's daily digest of the nominations submitted the day before ``on`` (today); one e-mail
    per HR member and day, none on a day without nominations."""
    day = (on or timezone.localdate()) - datetime.timedelta(days=1)
    since, until = _day_bounds(day)
    nominations = list(
        Nomination.objects.select_related("vacancy", "state", "partner")
        .filter(submitted__gte=since, submitted__lt=until, vacancy__is_demo=False)
        .order_by("submitted", "pk")
    )
    if not nominations:
        return 0
    return mail_send(
        to_users=hr_users(),
        template=EMAIL + "nominations_digest",
        context={"nominations": nominations, "day": day},
        key=f"nominations-digest:{day.isoformat()}",
        path=reverse("secondments:nominations"),
    )


def secondment_end_reminders(*, on: datetime.date | None = None) -> int:
    """Remind HR of every secondment ending within 60 days (once per secondment and end date)."""
    day = on or timezone.localdate()
    sent = 0
    recipients = list(hr_users())
    ending = (
        Secondment.objects.select_related("vacancy", "state", "partner")
        .ending_within(SECONDMENT_END_NOTICE_DAYS, on=day)
        .filter(vacancy__is_demo=False)
    )
    for secondment in ending:
        sent += mail_send(
            to_users=recipients,
            template=EMAIL + "secondment_ending",
            context={"secondment": secondment, "nominator": secondment.state or secondment.partner},
            key=f"secondment-ending:{secondment.pk}:{secondment.end.isoformat()}",
            path=reverse("secondments:secondments"),
        )
    return sent
