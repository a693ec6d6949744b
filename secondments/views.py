"""Pages of the secondment cycle: vacancies for everyone, HR's workbench, focal points' nominations.

Views only wire forms to services; the services hold the rules. Another State's nominations,
candidates and CVs answer 404 to a focal point.
"""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from accounts.roles import focal_state, is_hr
from core.api import Conflict
from secondments import feeds, services, statistics
from secondments.filters import NominationFilter, VacancyFilter
from secondments.forms import (
    DecisionForm,
    ExtendForm,
    NominationForm,
    NominationUpdateForm,
    ReasonForm,
    SavedSearchForm,
    VacancyForm,
)
from secondments.models import CalendarToken, Nomination, SavedSearch, Secondment, Vacancy
from secondments.querysets import nomination_counts_by_state


class HRRequiredMixin(LoginRequiredMixin):
    """HR only: anonymous users are sent to log in, anyone else gets 403."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not is_hr(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FocalPointRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and focal_state(request.user) is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HROrFocalPointMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not (is_hr(user) or focal_state(user) is not None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _me(request: HttpRequest) -> Any:
    """The logged-in user (the view requires a login)."""
    return request.user


def _int(value: Any) -> int:
    """A posted id, or 0 (matches nothing) when it isn't a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _service_error(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(getattr(error, "detail", error)))


def _vacancy(request: HttpRequest, reference: str) -> Vacancy:
    return get_object_or_404(Vacancy.objects.visible_to(request.user).for_list(), reference=reference)


# --- Vacancies ----------------------------------------------------------------------------------


class VacancyListView(ListView):
    """Vacancies with filters and full-text search (drafts only for HR)."""

    template_name = "secondments/vacancy_list.html"
    paginate_by = 50
    context_object_name = "vacancies"

    def get_queryset(self) -> QuerySet[Vacancy]:
        base = Vacancy.objects.visible_to(self.request.user).for_list()
        data = self.request.GET.copy()
        if not data.get("status") and not data.get("q"):
            base = base.filter(status=Vacancy.Status.OPEN) if not is_hr(self.request.user) else base
        self.filterset = VacancyFilter(data=data, queryset=base, request=self.request)
        if not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class VacancyDetailView(DetailView):
    """A vacancy notice; HR sees drafts (the preview) and the actions; focal points the nominate link."""

    template_name = "secondments/vacancy_detail.html"
    context_object_name = "vacancy"
    print_view = False

    def get_object(self, queryset: Any = None) -> Vacancy:
        return _vacancy(self.request, self.kwargs["reference"])

    def get_template_names(self) -> list[str]:
        return ["secondments/vacancy_notice.html"] if self.print_view else [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vacancy = self.object
        user = self.request.user
        context["is_hr"] = is_hr(user)
        context["focal_state"] = focal_state(user)
        context["accepting"] = vacancy.status == Vacancy.Status.OPEN and timezone.now() <= vacancy.closes_at
        if context["is_hr"] or context["focal_state"]:
            context["nominations"] = (
                Nomination.objects.visible_to(user).filter(vacancy=vacancy).select_related("state")
            )
        context["extensions"] = vacancy.extensions.all()
        context["extend_form"] = ExtendForm()
        context["reason_form"] = ReasonForm()
        return context


class VacancyCreateView(HRRequiredMixin, FormView):
    """HR creates a draft vacancy (the reference is assigned by the portal)."""

    template_name = "secondments/vacancy_form.html"
    form_class = VacancyForm

    def get_initial(self) -> dict[str, Any]:
        return {"deadline": timezone.localdate() + datetime.timedelta(days=30), "posts": 1}

    def form_valid(self, form: VacancyForm) -> HttpResponse:
        try:
            vacancy = services.vacancy_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Draft %(reference)s created: preview it, then publish.") % {"reference": vacancy.reference},
        )
        return redirect("secondments:detail", reference=vacancy.reference)


class VacancyEditView(HRRequiredMixin, FormView):
    """HR edits a draft or open vacancy."""

    template_name = "secondments/vacancy_form.html"
    form_class = VacancyForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and is_hr(request.user):
            self.vacancy = _vacancy(request, kwargs["reference"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Vacancy.objects.get(pk=self.vacancy.pk)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(vacancy=self.vacancy, **kwargs)

    def form_valid(self, form: VacancyForm) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            vacancy = services.vacancy_update(actor=self.request.user, vacancy=self.vacancy, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except Conflict as error:
            form.add_error(None, str(error.detail))
            return self.form_invalid(form)
        messages.success(self.request, _("Vacancy saved."))
        return redirect("secondments:detail", reference=vacancy.reference)


class VacancyActionView(HRRequiredMixin, View):
    """POST: publish, close, extend or cancel (HR)."""

    action = ""

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        vacancy = _vacancy(request, reference)
        try:
            if self.action == "publish":
                services.vacancy_publish(actor=request.user, vacancy=vacancy)
                messages.success(request, _("Published: the focal points are being alerted."))
            elif self.action == "extend":
                form = ExtendForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Give a valid new deadline."))
                services.vacancy_extend(
                    actor=request.user, vacancy=vacancy, deadline=form.cleaned_data["deadline"]
                )
                messages.success(request, _("Deadline extended."))
            else:
                reason_form = ReasonForm(request.POST)
                reason = reason_form.cleaned_data["reason"] if reason_form.is_valid() else ""
                if self.action == "close":
                    services.vacancy_close(actor=request.user, vacancy=vacancy, reason=reason)
                    messages.success(request, _("Vacancy closed."))
                else:
                    services.vacancy_cancel(actor=request.user, vacancy=vacancy, reason=reason)
                    messages.success(request, _("Vacancy cancelled."))
        except (ValidationError, Conflict) as error:
            _service_error(request, error)
        return redirect("secondments:detail", reference=vacancy.reference)

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        return redirect("secondments:detail", reference=reference)


class DashboardView(HRRequiredMixin, TemplateView):
    """HR: open vacancies with nominations received per State and days left."""

    template_name = "secondments/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        vacancies = list(Vacancy.objects.open().for_list().order_by("deadline", "reference"))
        counts = nomination_counts_by_state([vacancy.pk for vacancy in vacancies])
        rows = []
        for vacancy in vacancies:
            by_state = counts.get(vacancy.pk, {})
            rows.append(
                {
                    "vacancy": vacancy,
                    "days_left": (vacancy.deadline - today).days,
                    "by_state": sorted(by_state.items()),
                    "total": sum(by_state.values()),
                }
            )
        context["rows"] = rows
        context["ending"] = Secondment.objects.for_list().ending_within(60, on=today)
        return context


# --- Nominations --------------------------------------------------------------------------------


class NominateView(FocalPointRequiredMixin, FormView):
    """A focal point nominates a candidate of its State."""

    template_name = "secondments/nominate.html"
    form_class = NominationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.vacancy = _vacancy(request, kwargs["reference"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"nationality": focal_state(self.request.user)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(vacancy=self.vacancy, state=focal_state(self.request.user), **kwargs)

    def form_valid(self, form: NominationForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            nomination = services.nomination_submit(
                actor=self.request.user,
                vacancy=self.vacancy,
                state=focal_state(self.request.user),  # type: ignore[arg-type]  # the mixin checked it
                given_name=data["given_name"],
                family_name=data["family_name"],
                email=data["email"],
                nationality=data["nationality"],
                gender=data["gender"],
                motivation=data["motivation"],
                cv=data.get("cv"),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except Conflict as error:
            form.add_error(None, str(error.detail))
            response = self.form_invalid(form)
            response.status_code = 409
            return response
        messages.success(self.request, _("Nomination submitted."))
        return redirect("secondments:nomination", pk=nomination.pk)

    def form_invalid(self, form: NominationForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class NominationListView(HROrFocalPointMixin, ListView):
    """HR: every nomination; a focal point: its State's."""

    template_name = "secondments/nomination_list.html"
    paginate_by = 50
    context_object_name = "nominations"

    def get_queryset(self) -> QuerySet[Nomination]:
        base = Nomination.objects.visible_to(self.request.user).for_list().order_by("-submitted", "-id")
        self.filterset = NominationFilter(data=self.request.GET, queryset=base, request=self.request)
        if not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["is_hr"] = is_hr(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


def _nomination(request: HttpRequest, pk: int) -> Nomination:
    return get_object_or_404(Nomination.objects.visible_to(request.user).for_list(), pk=pk)


class NominationDetailView(HROrFocalPointMixin, DetailView):
    """A nomination with its history; HR decides, the State updates or withdraws."""

    template_name = "secondments/nomination_detail.html"
    context_object_name = "nomination"

    def get_object(self, queryset: Any = None) -> Nomination:
        return _nomination(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_hr"] = is_hr(user)
        state = focal_state(user)
        context["own"] = state is not None and state.pk == self.object.state_id
        context["decision_form"] = DecisionForm()
        context["update_form"] = NominationUpdateForm(initial={"motivation": self.object.motivation})
        context["reason_form"] = ReasonForm()
        return context


class NominationDecideView(HRRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = _nomination(request, pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a decision."))
        else:
            try:
                services.nomination_decide(
                    actor=request.user,
                    nomination=nomination,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                    start=form.cleaned_data["start"],
                )
                messages.success(request, _("Decision recorded."))
            except (ValidationError, Conflict) as error:
                _service_error(request, error)
        return redirect("secondments:nomination", pk=pk)


class NominationWithdrawView(FocalPointRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = _nomination(request, pk)
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.nomination_withdraw(actor=request.user, nomination=nomination, reason=reason)
            messages.success(request, _("Nomination withdrawn."))
        except Conflict as error:
            _service_error(request, error)
        return redirect("secondments:nomination", pk=pk)


class NominationUpdateView(FocalPointRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = _nomination(request, pk)
        form = NominationUpdateForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return redirect("secondments:nomination", pk=pk)
        try:
            services.nomination_update(
                actor=request.user,
                nomination=nomination,
                motivation=form.cleaned_data["motivation"],
                cv=form.cleaned_data.get("cv"),
            )
            messages.success(request, _("Nomination updated."))
        except (ValidationError, Conflict) as error:
            _service_error(request, error)
        return redirect("secondments:nomination", pk=pk)


class NominationCVView(HROrFocalPointMixin, View):
    """The CV, only to HR and the nominating State, as an attachment."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        nomination = _nomination(request, pk)
        if not nomination.cv:
            raise Http404
        try:
            handle = nomination.cv.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"cv-nomination-{nomination.pk}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response


# --- Secondments --------------------------------------------------------------------------------


class SecondmentListView(HROrFocalPointMixin, ListView):
    """Secondments (HR: all, focal point: own State's), with those ending in the next 60 days."""

    template_name = "secondments/secondment_list.html"
    context_object_name = "secondments"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Secondment]:
        qs = Secondment.objects.visible_to(self.request.user).with_status().for_list().order_by("end", "id")
        if self.request.GET.get("ending") == "60":
            qs = qs.ending_within(60)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["is_hr"] = is_hr(self.request.user)
        context["ending_only"] = self.request.GET.get("ending") == "60"
        for secondment in context["secondments"]:
            secondment.status_label = Secondment.Status(secondment.current_status).label
        return context


class SecondmentRenewView(HRRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        secondment = get_object_or_404(Secondment, pk=pk)
        try:
            services.secondment_renew(actor=request.user, secondment=secondment)
            messages.success(request, _("Secondment renewed by one year."))
        except (ValidationError, Conflict) as error:
            _service_error(request, error)
        return redirect("secondments:secondments")


# --- Feeds --------------------------------------------------------------------------------------


def _host(request: HttpRequest) -> str:
    return request.get_host()


def deadlines_ics(request: HttpRequest) -> HttpResponse:
    """RFC 5545: one event per open vacancy's deadline."""
    vacancies = Vacancy.objects.open().order_by("deadline", "reference")
    body = feeds.deadlines_calendar(
        vacancies,
        host=_host(request),
        name=_("OSCE vacancy deadlines"),
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response


def state_calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A user's secret calendar of their State's own deadlines: the open vacancies the State may
    nominate to, each saying how many candidates the State has nominated so far. A revoked or
    unknown address is 404."""
    link = (
        CalendarToken.objects.select_related("user")
        .filter(digest=services.calendar_digest(token), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if link is None:
        raise Http404
    user = link.user
    state = focal_state(user)
    vacancies = Vacancy.objects.open().order_by("deadline", "reference")
    name = _("OSCE vacancy deadlines")
    notes: dict[int, str] = {}
    if state is not None:
        name = _("OSCE vacancy deadlines for %(state)s") % {"state": state.name}
        # Its own nationals can't take an international post in their own country.
        vacancies = vacancies.exclude(
            Q(field_operation__host_state=state) & ~Q(grade__regex=r"^(G|NP)[0-9]$")
        ).annotate(
            own=Count("nominations", filter=Q(nominations__state=state) & ~Q(nominations__status="withdrawn"))
        )
        notes = {
            vacancy.pk: _("%(state)s has nominated %(n)d candidate(s).")
            % {"state": state.name, "n": vacancy.own}
            for vacancy in vacancies
        }
    body = feeds.deadlines_calendar(
        vacancies, host=_host(request), name=name, notes=notes, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def feed_atom(request: HttpRequest) -> HttpResponse:
    """Atom: the latest published vacancies."""
    vacancies = (
        Vacancy.objects.exclude(status=Vacancy.Status.DRAFT)
        .filter(published__isnull=False)
        .order_by("-published", "-id")[:50]
    )
    body = feeds.vacancies_atom(
        vacancies,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        title=_("OSCE vacancies"),
        description=_("Vacancy notices published by the OSCE."),
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


class CalendarTokensView(LoginRequiredMixin, TemplateView):
    """Create and revoke one's secret calendar addresses."""

    template_name = "secondments/calendar_tokens.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tokens"] = CalendarToken.objects.filter(user=_me(self.request), revoked__isnull=True)
        context["new_url"] = self.request.session.pop("calendar_new_url", None)
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        if "revoke" in request.POST:
            token = CalendarToken.objects.filter(
                user=_me(request), pk=_int(request.POST.get("revoke"))
            ).first()
            if token is None:
                raise Http404
            services.calendar_token_revoke(user=request.user, token=token)
            messages.success(request, _("Calendar address revoked."))
        else:
            _token, raw = services.calendar_token_create(user=request.user)
            request.session["calendar_new_url"] = request.build_absolute_uri(
                reverse("secondments:calendar", kwargs={"token": raw})
            )
        return redirect("secondments:calendar-tokens")


class SavedSearchView(LoginRequiredMixin, FormView):
    """Save the current vacancy filters as a search with instant or daily e-mail alerts."""

    template_name = "secondments/saved_searches.html"
    form_class = SavedSearchForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["searches"] = SavedSearch.objects.filter(user=_me(self.request))
        context["query"] = self._query()
        return context

    def _query(self) -> dict[str, Any]:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        allowed = set(VacancyFilter.base_filters)
        return {key: source.get(key) for key in allowed if source.get(key)}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "delete" in request.POST:
            SavedSearch.objects.filter(user=_me(request), pk=_int(request.POST.get("delete"))).delete()
            messages.success(request, _("Saved search deleted."))
            return redirect("secondments:searches")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: SavedSearchForm) -> HttpResponse:
        query = self._query()
        if not VacancyFilter(data=query, queryset=Vacancy.objects.none()).is_valid():
            form.add_error(None, _("These filters are not valid."))
            return self.form_invalid(form)
        search = form.save(commit=False)
        search.user = self.request.user
        search.query = query
        search.save()
        messages.success(self.request, _("Search saved."))
        return redirect("secondments:searches")


# --- Statistics ---------------------------------------------------------------------------------


class StatisticsView(HRRequiredMixin, TemplateView):
    """Nominations and selections per State, gender and grade; vacancies short of nominations or
    extended; as a table, a chart and CSV."""

    template_name = "secondments/statistics.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if kwargs.get("fmt") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="secondment-statistics.csv"'
            writer = csv.writer(response)
            writer.writerow(["state", "gender", "grade", "nominations", "selections"])
            for row in statistics.nomination_rows():
                writer.writerow([row.state, row.gender, row.grade, row.nominations, row.selections])
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = statistics.nomination_rows()
        by_state: dict[str, dict[str, int]] = {}
        for row in rows:
            entry = by_state.setdefault(row.state, {"nominations": 0, "selections": 0})
            entry["nominations"] += row.nominations
            entry["selections"] += row.selections
        peak = max((entry["nominations"] for entry in by_state.values()), default=0) or 1
        context["rows"] = rows
        context["by_state"] = [
            {"state": state, **entry, "width": round(100 * entry["nominations"] / peak)}
            for state, entry in sorted(by_state.items())
        ]
        context["shares"] = statistics.vacancy_shares()
        return context
