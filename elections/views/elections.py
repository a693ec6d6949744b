"""Election pages: the list and its month calendar, an election (its timeline, activities,
observers, reports and recommendations), the calendar feed; ODIHR records and edits elections.

Views parse input, call the service, render: the rules and who may act live in
``elections.services`` and ``elections.policies``."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.roles import focal_state, is_hr, is_odihr
from core.facets import FacetedListMixin
from core.ical import CalendarEvent, render_calendar
from core.pages import FilteredListView, ServiceFormMixin
from core.policies import allows
from elections import policies, services
from elections.api.serializers import ElectionSerializer
from elections.filters import ElectionFilter, parse_month
from elections.forms import ElectionForm, ObserverOfferForm
from elections.models import Election, ObservationActivity, ObserverOffer, Report
from elections.panels import activity_observers


class ElectionListView(FacetedListMixin, FilteredListView):
    """``/elections/``: a list (paginated) or a month calendar (``?view=calendar&month=2027-03``),
    filtered by the same FilterSet as the API."""

    template_name = "elections/election_list.html"
    filterset_class = ElectionFilter
    context_object_name = "elections"
    facets = {"state": "state_id", "kind": "kind"}  # counts beside the choices: one query each
    export_serializer_class = ElectionSerializer

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.view_mode = "calendar" if request.GET.get("view") == "calendar" else "list"
        self.month_error = ""
        self.month = timezone.localdate().replace(day=1)
        if self.view_mode == "calendar" and request.GET.get("month"):
            parsed = parse_month(request.GET.get("month"))
            if parsed is None:
                self.month_error = _("Give the month as YYYY-MM, e.g. 2027-03.")
            else:
                self.month = parsed
        response = super().get(request, *args, **kwargs)
        if self.month_error:
            response.status_code = 400
        return response

    def base_queryset(self) -> QuerySet[Election]:
        # Latest first unless ?sort= asks otherwise.
        return Election.objects.visible_to(self.request.user).order_by("-date", "id")

    def get_queryset(self) -> QuerySet[Election]:
        filtered = super().get_queryset()
        if self.view_mode == "calendar" and not self.export_requested():
            return filtered
        # 1 count + 1 page of elections with their State + 4 prefetches (activities with offered
        # sums, reports, recommendations, their assessments): constant for any number of rows.
        return filtered.with_observation()  # type: ignore[attr-defined]

    def get_paginate_by(self, queryset: QuerySet[Any]) -> int | None:
        return None if self.view_mode == "calendar" else self.paginate_by

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if self.view_mode == "calendar":
            # The month's rows are read by ``_calendar``, not the whole filtered list.
            kwargs.setdefault("object_list", Election.objects.none())
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("page", "view", "month"):
            query.pop(key, None)
        context.update(view_mode=self.view_mode, month_error=self.month_error, filter_query=query.urlencode())
        if self.view_mode == "calendar":
            context.update(self._calendar(self.object_list))  # type: ignore[arg-type]
        return context

    def _calendar(self, queryset: QuerySet[Election]) -> dict[str, Any]:
        month = self.month
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        elections = list(
            queryset.filter(date__gte=month, date__lte=last).select_related("state").order_by("date")
        )
        activities = list(
            ObservationActivity.objects.filter(election__in=queryset.values("pk"))
            .filter(Q(opened__gte=month, opened__lte=last) | Q(closed__gte=month, closed__lte=last))
            .select_related("election__state")
            .order_by("opened")
        )
        by_day: dict[datetime.date, list[dict[str, Any]]] = defaultdict(list)
        for election in elections:
            by_day[election.date].append({"kind": "election", "election": election})
        for activity in activities:
            if month <= activity.opened <= last:
                by_day[activity.opened].append({"kind": "opens", "activity": activity})
            if activity.closed and month <= activity.closed <= last:
                by_day[activity.closed].append({"kind": "closes", "activity": activity})
        weeks = [
            [{"day": day, "in_month": day.month == month.month, "items": by_day.get(day, [])} for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
        ]
        previous = (month - datetime.timedelta(days=1)).replace(day=1)
        following = last + datetime.timedelta(days=1)
        weekdays = [datetime.date(2024, 1, day) for day in range(1, 8)]  # 1 Jan 2024 was a Monday
        return {
            "month": month,
            "weeks": weeks,
            "weekdays": weekdays,
            "previous_month": previous.strftime("%Y-%m"),
            "next_month": following.strftime("%Y-%m"),
            "month_elections": elections,
        }


def _timeline(election: Election, activities: list[ObservationActivity]) -> list[dict[str, Any]]:
    """NAM → deployment → election day → preliminary statement → final report."""
    today = timezone.localdate()
    nam = next((a for a in activities if a.kind == ObservationActivity.Kind.NAM), None)
    deployment = next((a for a in activities if a.is_deployment), None)
    reports = [report for activity in activities for report in activity.reports.all()]
    preliminary = next((r for r in reports if r.kind == Report.Kind.PRELIMINARY), None)
    final = next((r for r in reports if r.kind == Report.Kind.FINAL), None)
    steps: list[dict[str, Any]] = []
    steps.append(
        {
            "label": _("Needs-assessment mission"),
            "date": nam.opened if nam else None,
            "detail": (
                _("recommended %(deployment)s") % {"deployment": nam.get_recommended_deployment_display()}
                if nam and nam.recommended_deployment
                else ""
            ),
        }
    )
    steps.append(
        {
            "label": capfirst(deployment.get_kind_display()) if deployment else _("Deployment"),
            "date": deployment.opened if deployment else None,
            "detail": "",
        }
    )
    steps.append({"label": _("Election day"), "date": election.date, "detail": ""})
    steps.append(
        {
            "label": _("Statement of preliminary findings"),
            "date": preliminary.published if preliminary else None,
            "detail": "" if preliminary else _("expected the day after election day"),
        }
    )
    steps.append({"label": _("Final report"), "date": final.published if final else None, "detail": ""})
    for step in steps:
        step["done"] = step["date"] is not None and step["date"] <= today
    return steps


def election_for(request: HttpRequest, pk: int) -> Election:
    """The election at ``pk`` with everything its page shows, or 404."""
    queryset = (
        Election.objects.visible_to(request.user)
        .select_related("state", "first_round")
        .prefetch_related(
            Prefetch("activities", queryset=ObservationActivity.objects.with_details()), "later_rounds"
        )
    )
    return get_object_or_404(queryset, pk=pk)


def election_context(request: HttpRequest, election: Election) -> dict[str, Any]:
    """What the election's page shows to this user: the public facts for everyone; ODIHR's
    buttons; the offers per State to HR and ODIHR; a focal point's own offers and the offer form."""
    user = request.user
    activities = list(election.activities.all())
    deployment = next((a for a in activities if a.is_deployment), None)
    state = focal_state(user)
    reports = [report for activity in activities for report in activity.reports.all()]
    today = timezone.localdate()
    context: dict[str, Any] = {
        "election": election,
        "activities": activities,
        "reports": reports,
        "recommendations": [rec for report in reports for rec in report.recommendations.all()],
        "observation": election.observation,
        "deployment": deployment,
        "timeline": _timeline(election, activities),
        "is_hr": is_hr(user),
        "is_odihr": is_odihr(user),
        "may_manage": allows(policies.election_manage, user, election),
        "focal_state": state,
        "today": today,
    }
    if deployment is not None:
        if allows(policies.offers_overview, user, deployment):
            context["observers"] = activity_observers(deployment, with_names=False)
        if state is not None:
            own = (
                ObserverOffer.objects.visible_to(user)
                .filter(activity=deployment)
                .prefetch_related("observers")
            )
            context["own_offers"] = [
                {"offer": offer, "changeable": deployment.offers_open(today)} for offer in own
            ]
            context["can_offer"] = (
                state.pk != election.state_id
                and deployment.requests_observers
                and deployment.offers_open(today)
            )
            context["offer_form"] = ObserverOfferForm()
    return context


class ElectionDetailView(TemplateView):
    """``/elections/<id>/``: the election, its activities and timeline, observers requested and
    offered, reports and recommendations."""

    template_name = "elections/election_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(election_context(self.request, election_for(self.request, self.kwargs["pk"])))
        return context


class ElectionCreateView(ServiceFormMixin, FormView):
    """ODIHR records an election (a round, an early election, a referendum)."""

    template_name = "elections/election_form.html"
    form_class = ElectionForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.election_manage(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"round": 1}

    def perform(self, form: ElectionForm) -> Election:
        return services.election_create(actor=self.request.user, **form.cleaned_data)

    def success(self, election: Election) -> HttpResponse:
        messages.success(self.request, _("Election recorded."))
        return redirect("elections:detail", pk=election.pk)


class ElectionEditView(ServiceFormMixin, FormView):
    """ODIHR edits an election."""

    template_name = "elections/election_form.html"
    form_class = ElectionForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.election = get_object_or_404(Election.objects.visible_to(request.user), pk=kwargs["pk"])
        policies.election_manage(request.user, self.election)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": Election.objects.get(pk=self.election.pk)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(election=self.election, **kwargs)

    def perform(self, form: ElectionForm) -> Election:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.election_update(actor=self.request.user, election=self.election, **changes)

    def success(self, election: Election) -> HttpResponse:
        messages.success(self.request, _("Election saved."))
        return redirect("elections:detail", pk=election.pk)


class CalendarFeedView(View):
    """``/elections/calendar.ics``: upcoming election days and the deployments of upcoming or
    ongoing activities (RFC 5545)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        events: list[CalendarEvent] = []
        for election in Election.objects.upcoming(today).select_related("state").order_by("date", "id"):
            events.append(
                CalendarEvent(
                    uid=f"election-{election.pk}",
                    start=election.date,
                    end=election.date + datetime.timedelta(days=1),
                    summary=("[DEMO] " if election.is_demo else "")
                    + _("%(state)s: %(kind)s election")
                    % {"state": election.state.name, "kind": election.get_kind_display()}
                    + (_(" (round %(round)d)") % {"round": election.round} if election.round > 1 else ""),
                    url=request.build_absolute_uri(reverse("elections:detail", kwargs={"pk": election.pk})),
                    categories="election",
                )
            )
        activities = (
            ObservationActivity.objects.filter(
                Q(closed__gt=today) | Q(closed__isnull=True, election__date__gte=today)
            )
            .select_related("election__state")
            .order_by("opened", "id")
        )
        for activity in activities:
            election = activity.election
            end = activity.closed or max(election.date, activity.opened) + datetime.timedelta(days=1)
            events.append(
                CalendarEvent(
                    uid=f"activity-{activity.pk}",
                    start=activity.opened,
                    end=end,
                    summary=("[DEMO] " if election.is_demo else "")
                    + _("ODIHR %(kind)s: %(election)s election in %(state)s")
                    % {
                        "kind": activity.kind,
                        "state": election.state.name,
                        "election": election.get_kind_display(),
                    },
                    description=_("Head of mission: %(head)s") % {"head": activity.head}
                    if activity.head
                    else "",
                    url=request.build_absolute_uri(reverse("elections:detail", kwargs={"pk": election.pk})),
                    categories=activity.kind,
                )
            )
        body = render_calendar(
            events,
            name=_("OSCE election observation"),
            now=timezone.now(),
            uid_domain="elections.osce-portal",
            prodid="-//OSCE portal//Election observation//EN",
        )
        response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="elections.ics"'
        return response
