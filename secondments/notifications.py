"""E-mails of the secondment cycle: alerts, digests and reminders, each sent once.

``send_once`` inserts a ``Notification`` row (unique on kind, key and recipient) before sending,
in one transaction: a task that runs twice finds the row and sends nothing; a send that fails rolls
the row back so the retry sends it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import FocalPoint
from accounts.roles import ROLE_HR
from secondments.models import Nomination, Notification, PartnerContact, SavedSearch, Secondment, Vacancy
from states.models import State

logger = logging.getLogger(__name__)

REMINDER_DAYS = (7, 2)
SECONDMENT_END_NOTICE_DAYS = 60


def send_once(
    *, kind: str, key: str, recipient: str, subject: str, body: str, vacancy: Vacancy | None = None
) -> bool:
    """Send one e-mail unless it was sent already; True when sent now."""
    recipient = recipient.strip().lower()
    if not recipient:
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(kind=kind, key=key, recipient=recipient, vacancy=vacancy)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    except IntegrityError:
        return False
    # Never log the address: it is personal data.
    logger.info("sent %s %s", kind, key)
    return True


def _vacancy_lines(vacancy: Vacancy) -> str:
    post = vacancy.field_operation or vacancy.body
    place = post.name if post is not None else ""
    return _(
        "%(reference)s: %(title)s\n%(place)s, %(station)s; %(grade)s, %(posts)d post(s)\n"
        "Deadline: %(deadline)s, 23:59 Vienna time\n/vacancies/%(reference)s/\n"
    ) % {
        "reference": vacancy.reference,
        "title": vacancy.title,
        "place": place,
        "station": vacancy.duty_station,
        "grade": vacancy.grade,
        "posts": vacancy.posts,
        "deadline": vacancy.deadline.isoformat(),
    }


def focal_point_emails(
    states: Iterable[State] | None = None, *, on: datetime.date | None = None
) -> dict[str, str]:
    """``{email: state code}`` of the focal points of participating States (or of ``states``)."""
    day = on or timezone.localdate()
    links = FocalPoint.objects.select_related("user").filter(
        state__in=State.objects.participating(day), user__is_active=True
    )
    if states is not None:
        links = links.filter(state__in=list(states))
    return {link.user.email.lower(): link.state_id for link in links if link.user.email and link.state_id}


def hr_emails() -> list[str]:
    users = get_user_model().objects.filter(groups__name=ROLE_HR, is_active=True).exclude(email="")
    return sorted({user.email.lower() for user in users})


def _load(vacancy_id: int) -> Vacancy | None:
    return Vacancy.objects.select_related("field_operation", "body").filter(pk=vacancy_id).first()


def vacancy_alert(*, vacancy_id: int) -> int:
    """A published vacancy: alert the focal points of every participating State, Partners' contacts
    for S1/S2 posts open to them, and users whose saved search asks for instant alerts."""
    vacancy = _load(vacancy_id)
    if vacancy is None or vacancy.status == Vacancy.Status.DRAFT:
        return 0
    subject = _("New OSCE vacancy %(reference)s: %(title)s") % {
        "reference": vacancy.reference,
        "title": vacancy.title,
    }
    body = _("A vacancy is open for nominations.\n\n") + _vacancy_lines(vacancy)
    recipients = set(focal_point_emails())
    if vacancy.accepts_partners:
        recipients |= {email.lower() for email in PartnerContact.objects.values_list("email", flat=True)}
    sent = 0
    for email in sorted(recipients):
        sent += send_once(
            kind="published",
            key=f"vacancy:{vacancy.pk}",
            recipient=email,
            subject=subject,
            body=body,
            vacancy=vacancy,
        )
    for search in SavedSearch.objects.select_related("user").filter(frequency=SavedSearch.Frequency.INSTANT):
        if search.user.email and saved_search_matches(search).filter(pk=vacancy.pk).exists():
            sent += send_once(
                kind="search-instant",
                key=f"search:{search.pk}:vacancy:{vacancy.pk}",
                recipient=search.user.email,
                subject=subject,
                body=body,
                vacancy=vacancy,
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


def saved_search_digests(*, on: datetime.date | None = None) -> int:
    """One daily e-mail per saved search with the vacancies published the day before."""
    day = on or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(day - datetime.timedelta(days=1), datetime.time.min)
    )
    until = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    sent = 0
    for search in SavedSearch.objects.select_related("user").filter(frequency=SavedSearch.Frequency.DAILY):
        if not search.user.email:
            continue
        new = list(saved_search_matches(search).filter(published__gte=since, published__lt=until))
        if not new:
            continue
        body = _("New vacancies matching “%(name)s”:\n\n") % {"name": search.name}
        body += "\n".join(_vacancy_lines(vacancy) for vacancy in new)
        query = urlencode(search.query or {}, doseq=True)
        body += "\n/vacancies/?" + query + "\n"
        sent += send_once(
            kind="search-daily",
            key=f"search:{search.pk}:{day.isoformat()}",
            recipient=search.user.email,
            subject=_("OSCE vacancies: %(name)s") % {"name": search.name},
            body=body,
        )
    return sent


def deadline_reminders(*, on: datetime.date | None = None) -> int:
    """Remind States without a nomination 7 and 2 days before an open vacancy's deadline."""
    day = on or timezone.localdate()
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
            subject = _("Reminder: %(days)d days left to nominate for %(reference)s") % {
                "days": days,
                "reference": vacancy.reference,
            }
            body = _("Your State has not nominated a candidate to this vacancy yet.\n\n") + _vacancy_lines(
                vacancy
            )
            for email, state_code in sorted(focal_point_emails(on=day).items()):
                if state_code in nominated:
                    continue
                sent += send_once(
                    kind="reminder",
                    key=f"vacancy:{vacancy.pk}:{vacancy.deadline.isoformat()}:{days}d",
                    recipient=email,
                    subject=subject,
                    body=body,
                    vacancy=vacancy,
                )
    return sent


def vacancy_filled_notice(*, vacancy_id: int) -> int:
    """Tell the States whose nominations remained open that all posts are filled."""
    vacancy = _load(vacancy_id)
    if vacancy is None:
        return 0
    states = State.objects.filter(
        pk__in=Nomination.objects.filter(vacancy=vacancy, status=Nomination.Status.REJECTED).values(
            "state_id"
        )
    )
    subject = _("Vacancy %(reference)s has been filled") % {"reference": vacancy.reference}
    body = _(
        "All posts of this vacancy have been filled; "
        "your State's remaining nominations were not selected.\n\n"
    )
    body += _vacancy_lines(vacancy)
    sent = 0
    for email in sorted(focal_point_emails(states)):
        sent += send_once(
            kind="filled",
            key=f"vacancy:{vacancy.pk}",
            recipient=email,
            subject=subject,
            body=body,
            vacancy=vacancy,
        )
    return sent


def secondment_end_reminders(*, on: datetime.date | None = None) -> int:
    """Remind HR of every secondment ending within 60 days (once per secondment and end date)."""
    day = on or timezone.localdate()
    sent = 0
    recipients = hr_emails()
    ending = (
        Secondment.objects.select_related("vacancy", "state", "partner")
        .ending_within(SECONDMENT_END_NOTICE_DAYS, on=day)
        .filter(vacancy__is_demo=False)
    )
    for secondment in ending:
        subject = _("Secondment #%(id)d ends on %(end)s") % {
            "id": secondment.pk,
            "end": secondment.end.isoformat(),
        }
        body = _(
            "The secondment of %(state)s to %(reference)s (%(title)s) ends on %(end)s. Renew it or plan the "
            "succession.\n"
        ) % {
            "state": (secondment.state or secondment.partner).name,  # type: ignore[union-attr]
            "reference": secondment.vacancy.reference,
            "title": secondment.vacancy.title,
            "end": secondment.end.isoformat(),
        }
        for email in recipients:
            sent += send_once(
                kind="secondment-ending",
                key=f"secondment:{secondment.pk}:{secondment.end.isoformat()}",
                recipient=email,
                subject=subject,
                body=body,
            )
    return sent
