"""Feeds of vacancies: the public deadlines calendar and Atom feed, and a user's secret calendar of
its State's own deadlines."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.roles import roles_of
from secondments import feeds
from secondments.models import CalendarToken, Nomination, Vacancy
from secondments.services import calendar_digest


def _base_url(request: HttpRequest) -> str:
    """The portal's address as the client reached it (scheme and host), for feed links."""
    return request.build_absolute_uri("/").rstrip("/")


def deadlines_ics(request: HttpRequest) -> HttpResponse:
    """RFC 5545: one event per open vacancy's deadline."""
    vacancies = Vacancy.objects.open().order_by("deadline", "reference")
    body = feeds.deadlines_calendar(vacancies, base_url=_base_url(request), name=_("OSCE vacancy deadlines"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response


def state_calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A user's secret calendar of its State's own deadlines: the open vacancies the State may
    nominate to, each saying how many candidates the State has nominated so far. A revoked or
    unknown address is 404."""
    link = (
        CalendarToken.objects.select_related("user")
        .filter(digest=calendar_digest(token), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if link is None:
        raise Http404
    roles = roles_of(link.user)
    vacancies = Vacancy.objects.open().order_by("deadline", "reference")
    name = _("OSCE vacancy deadlines")
    notes: dict[int, str] = {}
    nominator = roles.state or roles.partner
    if nominator is not None:
        name = _("OSCE vacancy deadlines for %(state)s") % {"state": nominator.name}
        own = Q(nominations__state=roles.state) if roles.state else Q(nominations__partner=roles.partner)
        if roles.state is not None:
            # Its own nationals can't take an international post in their own country.
            vacancies = vacancies.exclude(
                Q(field_operation__host_state=roles.state) & ~Q(grade__regex=r"^(G|NP)[0-9]$")
            )
        else:
            vacancies = vacancies.filter(open_to_partners=True, grade__in=Vacancy.PARTNER_GRADES)
        vacancies = vacancies.annotate(
            own=Count("nominations", filter=own & ~Q(nominations__status=Nomination.Status.WITHDRAWN))
        )
        notes = {
            vacancy.pk: _("%(state)s has nominated %(n)d candidate(s).")
            % {"state": nominator.name, "n": vacancy.own}
            for vacancy in vacancies
        }
    body = feeds.deadlines_calendar(vacancies, base_url=_base_url(request), name=name, notes=notes)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def feed_atom(request: HttpRequest) -> HttpResponse:
    """Atom: the latest published vacancies (a cancelled draft was never published: never here)."""
    vacancies = Vacancy.objects.filter(published__isnull=False).order_by("-published", "-id")[:50]
    body = feeds.vacancies_atom(
        vacancies,
        base_url=_base_url(request),
        title=_("OSCE vacancies"),
        description=_("Vacancy notices published by the OSCE."),
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
