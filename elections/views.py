"""Pages of election observation: the list and its month calendar, an election, the calendar feed,
report PDFs, a State's open recommendations and a State's offers."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.roles import focal_state, is_hr
from core.errors import Conflict
from core.ical import CalendarEvent, render_calendar
from elections import services
from elections.filters import ElectionFilter, parse_month
from elections.forms import ObserverOfferForm
from elections.models import Election, ObservationActivity, ObserverOffer, Recommendation, Report
from states.models import State

PAGE_SIZE = 50


class ElectionListView(TemplateView):
    """``/elections/``: a list (paginated) or a month calendar (``?view=calendar&month=2027-03``),
    filtered by the same FilterSet as the API."""

    template_name = "elections/election_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        base = Election.objects.visible_to(request.user)
        self.filterset = ElectionFilter(request.GET or None, queryset=base)
        self.view_mode = "calendar" if request.GET.get("view") == "calendar" else "list"
        self.month_error = ""
        self.month = timezone.localdate().replace(day=1)
        if self.view_mode == "calendar" and request.GET.get("month"):
            parsed = parse_month(request.GET.get("month"))
            if parsed is None:
                self.month_error = _("Give the month as YYYY-MM, e.g. 2027-03.")
            else:
                self.month = parsed
        context = self.get_context_data(**kwargs)
        status = (
            400 if (self.filterset.is_bound and not self.filterset.is_valid()) or self.month_error else 200
        )
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        queryset = self.filterset.qs if valid else Election.objects.none()
        context.update(filter=self.filterset, view_mode=self.view_mode, month_error=self.month_error)
        query = self.request.GET.copy()
        for key in ("page", "view", "month"):
            query.pop(key, None)
        context["filter_query"] = query.urlencode()
        if self.view_mode == "calendar":
            context.update(self._calendar(queryset))
        else:
            # 1 count + 1 page of elections with their State + 3 prefetches (activities with offered
            # sums, reports, recommendations): constant for any number of rows.
            paginator = Paginator(queryset.with_observation().order_by("-date", "id"), PAGE_SIZE)
            page = paginator.get_page(self.request.GET.get("page"))
            context.update(page_obj=page, elections=page.object_list)
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


class ElectionDetailView(TemplateView):
    """``/elections/<id>/``: the election, its activities and timeline, observers requested and
    offered (HR: per State; a focal point: its own offers and the offer form), reports and
    recommendations."""

    template_name = "elections/election_detail.html"

    def get_election(self) -> Election:
        queryset = Election.objects.visible_to(self.request.user).select_related("state", "first_round")
        queryset = queryset.prefetch_related(
            Prefetch("activities", queryset=ObservationActivity.objects.with_details()),
            "later_rounds",
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        election = self.get_election()
        activities = list(election.activities.all())
        deployment = next((a for a in activities if a.is_deployment), None)
        user = self.request.user
        state = focal_state(user)
        reports = [report for activity in activities for report in activity.reports.all()]
        context.update(
            election=election,
            activities=activities,
            reports=reports,
            recommendations=[rec for report in reports for rec in report.recommendations.all()],
            observation=election.observation,
            deployment=deployment,
            timeline=_timeline(election, activities),
            is_hr=is_hr(user),
            focal_state=state,
        )
        if deployment is not None:
            if is_hr(user):
                context["offers_by_state"] = (
                    ObserverOffer.objects.filter(activity=deployment)
                    .values("state__code", "state__name")
                    .annotate(lto=Sum("lto"), sto=Sum("sto"))
                    .order_by("state__name")
                )
            if state is not None:
                context["own_offers"] = ObserverOffer.objects.visible_to(user).filter(activity=deployment)
                can_offer = (
                    state.pk != election.state_id
                    and deployment.requests_observers
                    and deployment.offers_open(timezone.localdate())
                )
                context["can_offer"] = can_offer
                context.setdefault("offer_form", ObserverOfferForm())
        return context


class ObserverOfferCreateView(LoginRequiredMixin, View):
    """POST ``/elections/activities/<id>/offer/``: the page's offer form; calls the API's service."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = get_object_or_404(ObservationActivity.objects.select_related("election"), pk=pk)
        state = focal_state(request.user)
        if state is None:
            raise PermissionDenied
        form = ObserverOfferForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.observer_offer_create(
                    actor=request.user,
                    activity=activity,
                    state=state,
                    lto=form.cleaned_data["lto"],
                    sto=form.cleaned_data["sto"],
                    note=form.cleaned_data["note"],
                    observers=form.cleaned_data["observers"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            except Conflict as conflict:
                form.add_error(None, conflict.message)
                status = 409
            else:
                messages.success(request, _("Your offer has been recorded."))
                return redirect(reverse("elections:detail", kwargs={"pk": activity.election_id}) + "#offers")
        view = ElectionDetailView()
        view.setup(request, pk=activity.election_id)
        context = view.get_context_data(pk=activity.election_id)
        context["offer_form"] = form
        return view.render_to_response(context, status=status)


class OfferListView(LoginRequiredMixin, TemplateView):
    """``/elections/offers/``: HR sees every State's offers, a focal point its own State's history."""

    template_name = "elections/offer_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        if not is_hr(user) and focal_state(user) is None:
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        offers = (
            ObserverOffer.objects.visible_to(user)
            .select_related("state", "activity__election__state")
            .order_by("-offered", "-id")
        )
        paginator = Paginator(offers, PAGE_SIZE)
        context.update(
            page_obj=paginator.get_page(self.request.GET.get("page")), focal_state=focal_state(user)
        )
        return context


class StateRecommendationsView(TemplateView):
    """``/elections/recommendations/<code>/``: a State's open recommendations (not fully implemented)."""

    template_name = "elections/recommendations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        state = get_object_or_404(State, code=str(self.kwargs["code"]).upper())
        recommendations = (
            Recommendation.objects.of_state(state)
            .open()
            .select_related("topic", "report__activity__election")
            .prefetch_related("assessments")
            .order_by("-report__published", "number")
        )
        context.update(state=state, recommendations=recommendations)
        return context


class ReportFileView(View):
    """The uploaded PDF of a report (reports are public)."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        report = get_object_or_404(Report, pk=pk)
        if not report.file:
            raise Http404
        try:
            handle = report.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, content_type="application/pdf", filename=f"report-{report.pk}.pdf")


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
