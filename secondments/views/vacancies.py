"""Vacancy pages: the list and the notice for everyone; creating, editing and the life-cycle
buttons for HR; HR's dashboard. Views parse input, call the service, render: the rules and who may
act live in ``secondments.services`` and ``secondments.policies``."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from accounts.roles import is_hr, roles_of
from core.errors import Invalid
from core.facets import FacetedListMixin
from core.pages import AnonymousPageCacheMixin, FilteredListView, ServiceActionView, ServiceFormMixin
from core.policies import allows
from core.versions import OnMiss, fragment_key
from missions.models import FieldOperation
from secondments import policies, services
from secondments.api.serializers import VacancySerializer
from secondments.filters import VacancyFilter
from secondments.forms import ExtendForm, ReasonForm, SavedSearchForm, VacancyForm
from secondments.models import FieldOfExpertise, Nomination, Secondment, Vacancy
from states.models import Body, Dimension, State

# What /vacancies/' cached fragment shows: the rows, their posts, and the filter's choices.
FRAGMENT_MODELS = (Vacancy, FieldOperation, Body, Dimension, FieldOfExpertise, State)


def vacancy_for(request: HttpRequest, reference: str) -> Vacancy:
    """The vacancy at ``reference`` (any case) as this user may see it, or 404."""
    return get_object_or_404(Vacancy.objects.visible_to(request.user).for_list(), reference=reference.upper())


CLOSING_SOON_DAYS = 7  # an open vacancy whose deadline is this near is marked "closing soon"


class VacancyListView(AnonymousPageCacheMixin, FacetedListMixin, FilteredListView):
    """``/vacancies/``: open vacancies by default (HR: every one), filters and full-text search,
    counts beside the filter choices, a sort order, "closing soon" marks, "save this search"."""

    template_name = "secondments/vacancy_list.html"
    filterset_class = VacancyFilter
    context_object_name = "vacancies"
    count_models = FRAGMENT_MODELS
    # One query per facet, over what the reader may see (drafts for HR only).
    facets = {
        "status": lambda: Vacancy.objects.current_status_expression(),
        "field_operation": "field_operation__slug",
        "body": "body__slug",
        "appointment": "appointment",
        "grade": "grade",
        "dimension": "dimension_id",
        "field_of_expertise": "field_of_expertise_id",
    }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The filter form (with its facet counts) and the table with its pagination are two
        # fragments, cached per process under the versions of what they show (rows and counts are
        # only read on a miss: the form with its counts is an OnMiss value, computed when the
        # fragment is rendered afresh); "save this search" between them carries the user's CSRF
        # token, so it is never cached. The key first: the versions are read before any row, so a
        # fragment is never older than its key.
        key = fragment_key(request=self.request, model_list=FRAGMENT_MODELS)
        context = super().get_context_data(fragment_key=key, **kwargs)
        context["filter_form"] = OnMiss(self.filter_form)
        today = timezone.localdate()
        context["closing_soon_until"] = today + datetime.timedelta(days=CLOSING_SOON_DAYS)
        context["today"] = today
        context["save_form"] = SavedSearchForm(initial={"name": _("My vacancy search")})
        context["saved_query"] = services.saved_search_query(self.request.GET).items()
        return context

    def facets_wanted(self, context: dict[str, Any]) -> bool:
        return False  # counted by the filter form's OnMiss, only when the form is rendered afresh

    export_serializer_class = VacancySerializer

    def base_queryset(self) -> QuerySet[Vacancy]:
        base = Vacancy.objects.visible_to(self.request.user).for_list()
        if (
            not self.request.GET.get("status")
            and not self.request.GET.get("q")
            and not is_hr(self.request.user)
        ):
            base = base.open()
        return base


class VacancyDetailView(DetailView):
    """A vacancy notice; HR sees drafts and the actions, focal points the nominate link."""

    template_name = "secondments/vacancy_detail.html"
    context_object_name = "vacancy"
    print_view = False

    def get_object(self, queryset: Any = None) -> Vacancy:
        return vacancy_for(self.request, self.kwargs["reference"])

    def get_template_names(self) -> list[str]:
        return ["secondments/vacancy_notice.html"] if self.print_view else [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vacancy: Vacancy = self.object
        user = self.request.user
        roles = roles_of(user)
        context.update(
            is_hr=is_hr(user),
            nominator=roles.state or roles.partner,
            may_manage=allows(policies.vacancy_manage, user, vacancy),
            may_nominate=vacancy.accepting_nominations and allows(policies.nomination_submit, user, vacancy),
            accepting=vacancy.accepting_nominations,
            extensions=vacancy.extensions.all(),
            extend_form=ExtendForm(),
            reason_form=ReasonForm(),
        )
        if context["is_hr"] or roles.state or roles.partner:
            context["nominations"] = (
                Nomination.objects.visible_to(user).filter(vacancy=vacancy).select_related("state", "partner")
            )
        return context


class VacancyCreateView(ServiceFormMixin, FormView):
    """HR creates a draft vacancy (the reference is assigned by the portal)."""

    template_name = "secondments/vacancy_form.html"
    form_class = VacancyForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.vacancy_manage(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"deadline": timezone.localdate() + datetime.timedelta(days=30), "posts": 1}

    def perform(self, form: VacancyForm) -> Vacancy:
        return services.vacancy_create(actor=self.request.user, **form.cleaned_data)

    def success(self, vacancy: Vacancy) -> HttpResponse:
        messages.success(
            self.request,
            _("Draft %(reference)s created: preview it, then publish.") % {"reference": vacancy.reference},
        )
        return redirect("secondments:detail", reference=vacancy.reference)


class VacancyEditView(ServiceFormMixin, FormView):
    """HR edits a draft or open vacancy."""

    template_name = "secondments/vacancy_form.html"
    form_class = VacancyForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.vacancy = vacancy_for(request, kwargs["reference"])
        policies.vacancy_manage(request.user, self.vacancy)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Vacancy.objects.get(pk=self.vacancy.pk)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(vacancy=self.vacancy, **kwargs)

    def perform(self, form: VacancyForm) -> Vacancy:
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.vacancy_update(actor=self.request.user, vacancy=self.vacancy, **data)

    def success(self, vacancy: Vacancy) -> HttpResponse:
        messages.success(self.request, _("Vacancy saved."))
        return redirect("secondments:detail", reference=vacancy.reference)


class VacancyActionView(ServiceActionView):
    """POST: publish, close, extend or cancel (the service decides who may)."""

    action = ""
    page_view = staticmethod(VacancyDetailView.as_view())

    def perform(self, request: HttpRequest, **kwargs: Any) -> str:
        vacancy = vacancy_for(request, kwargs["reference"])
        actor = request.user
        policies.vacancy_manage(actor, vacancy)  # the services' policy, before the form is read
        if self.action == "publish":
            services.vacancy_publish(actor=actor, vacancy=vacancy)
            return _("Published: the focal points are being alerted.")
        if self.action == "extend":
            form = ExtendForm(request.POST)
            if not form.is_valid():
                raise Invalid(errors={"deadline": _("Give a valid new deadline.")})
            services.vacancy_extend(actor=actor, vacancy=vacancy, deadline=form.cleaned_data["deadline"])
            return _("Deadline extended.")
        reason_form = ReasonForm(request.POST)
        reason = reason_form.cleaned_data["reason"] if reason_form.is_valid() else ""
        if self.action == "close":
            services.vacancy_close(actor=actor, vacancy=vacancy, reason=reason)
            return _("Vacancy closed.")
        services.vacancy_cancel(actor=actor, vacancy=vacancy, reason=reason)
        return _("Vacancy cancelled.")

    def redirect_to(self, **kwargs: Any) -> HttpResponse:
        return redirect("secondments:detail", reference=kwargs["reference"].upper())


class DashboardView(TemplateView):
    """HR: open vacancies with nominations received per State and days left; secondments ending."""

    template_name = "secondments/dashboard.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.vacancy_manage(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        vacancies = list(Vacancy.objects.open().for_list().order_by("deadline", "reference"))
        counts = Nomination.objects.counts_by_nominator([vacancy.pk for vacancy in vacancies])
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
