"""Observation activity pages: ODIHR records and edits activities, publishes their reports, and
sees the observers requested against offered (per State, with the gap) and the roster (CSV); a
report's PDF for everyone."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.pages import ServiceFormMixin
from core.policies import allows
from elections import policies, services
from elections.forms import ActivityForm, ReportForm
from elections.models import Election, ObservationActivity, ObserverOffer, OfferedObserver, Report
from elections.panels import activity_observers


def activity_for(request: HttpRequest, pk: int) -> ObservationActivity:
    """The activity at ``pk`` (offered sums annotated, election and State joined), or 404."""
    queryset = (
        ObservationActivity.objects.visible_to(request.user).with_offered().select_related("election__state")
    )
    return get_object_or_404(queryset, pk=pk)


class ActivityCreateView(ServiceFormMixin, FormView):
    """ODIHR records a NAM or the election's deployment (EOM, LEOM, EAM)."""

    template_name = "elections/activity_form.html"
    form_class = ActivityForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.election = get_object_or_404(
            Election.objects.visible_to(request.user).select_related("state"), pk=kwargs["pk"]
        )
        policies.activity_manage(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"kind": ObservationActivity.Kind.EOM}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(election=self.election, **kwargs)

    def perform(self, form: ActivityForm) -> ObservationActivity:
        data = dict(form.cleaned_data)
        return services.activity_create(
            actor=self.request.user,
            election=self.election,
            kind=data.pop("kind"),
            opened=data.pop("opened"),
            **data,
        )

    def success(self, activity: ObservationActivity) -> HttpResponse:
        messages.success(self.request, _("Activity recorded."))
        return redirect("elections:detail", pk=activity.election_id)


class ActivityEditView(ServiceFormMixin, FormView):
    """ODIHR edits an activity (its kind and election stay)."""

    template_name = "elections/activity_form.html"
    form_class = ActivityForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.activity = activity_for(request, kwargs["pk"])
        policies.activity_manage(request.user, self.activity)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        instance = ObservationActivity.objects.select_related("election").get(pk=self.activity.pk)
        return {**super().get_form_kwargs(), "instance": instance, "editing": True}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(election=self.activity.election, activity=self.activity, **kwargs)

    def perform(self, form: ActivityForm) -> ObservationActivity:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.activity_update(actor=self.request.user, activity=self.activity, **changes)

    def success(self, activity: ObservationActivity) -> HttpResponse:
        messages.success(self.request, _("Activity saved."))
        return redirect("elections:detail", pk=activity.election_id)


class ActivityObserversView(TemplateView):
    """``/elections/activities/<id>/observers/``: requested against offered LTOs and STOs, in total
    and per State, with the gap (HR and ODIHR); the roster's link and named observers (ODIHR)."""

    template_name = "elections/activity_observers.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.activity = activity_for(request, kwargs["pk"])
        policies.offers_overview(request.user, self.activity)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        with_names = allows(policies.roster_read, self.request.user, self.activity)
        context.update(
            activity=self.activity,
            election=self.activity.election,
            observers=activity_observers(self.activity, with_names=with_names),
            may_read_roster=with_names,
        )
        return context


class _Echo:
    """A file-like object whose ``write`` returns the line: csv.writer into a streaming response."""

    def write(self, value: str) -> str:
        return value


ROSTER_HEADER = [
    "state",
    "state_name",
    "offer",
    "offered",
    "lto",
    "sto",
    "observer",
    "role",
    "languages",
    "experience",
    "note",
]


class RosterView(View):
    """``/elections/activities/<id>/roster.csv``: every State's offers and named observers, one row
    per named observer (an offer without names: one row), for ODIHR. Three queries."""

    def get(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        activity = activity_for(request, pk)
        policies.roster_read(request.user, activity)
        offers = (
            ObserverOffer.objects.filter(activity=activity)
            .select_related("state")
            .prefetch_related(Prefetch("observers", queryset=OfferedObserver.objects.order_by("id")))
            .order_by("state__name", "offered", "id")
        )

        def rows() -> Iterator[list[Any]]:
            yield ROSTER_HEADER
            for offer in offers:
                base = [
                    offer.state_id,
                    offer.state.name,
                    offer.pk,
                    offer.offered.date().isoformat(),
                    offer.lto,
                    offer.sto,
                ]
                observers = list(offer.observers.all())
                if not observers:
                    yield [*base, "", "", "", "", offer.note]
                for observer in observers:
                    languages = " ".join(observer.languages)
                    yield [*base, observer.name, observer.role, languages, observer.experience, offer.note]

        writer = csv.writer(_Echo())
        response = StreamingHttpResponse(
            (writer.writerow([_safe(cell) for cell in row]) for row in rows()),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="roster-{activity.kind}-{activity.pk}.csv"'
        return response


def _safe(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (names and notes are typed by people)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class ReportCreateView(ServiceFormMixin, FormView):
    """ODIHR publishes a report of an activity: a PDF (checked by its content) or a link."""

    template_name = "elections/report_form.html"
    form_class = ReportForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.activity = activity_for(request, kwargs["pk"])
        policies.report_publish(request.user, self.activity)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        kind = Report.Kind.NEEDS_ASSESSMENT if self.activity.kind == ObservationActivity.Kind.NAM else None
        return {"kind": kind} if kind else {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(activity=self.activity, election=self.activity.election, **kwargs)

    def perform(self, form: ReportForm) -> Report:
        return services.report_add(actor=self.request.user, activity=self.activity, **form.cleaned_data)

    def success(self, report: Report) -> HttpResponse:
        messages.success(self.request, _("Report published."))
        return redirect("elections:detail", pk=self.activity.election_id)


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
