"""Nomination pages: a focal point nominates, updates and withdraws; HR decides; the CV goes only
to HR and the nominating State (or Partner). Another State's nomination answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from accounts.roles import is_hr, roles_of
from core.errors import Invalid
from core.facets import FacetedListMixin
from core.pages import FilteredListView, ServiceActionView, ServiceFormMixin
from core.policies import allows
from secondments import policies, services
from secondments.api.serializers import NominationSerializer
from secondments.filters import NominationFilter, nominator_expression
from secondments.forms import DecisionForm, NominationForm, NominationUpdateForm, ReasonForm
from secondments.models import Nomination
from secondments.views.vacancies import vacancy_for


def nomination_for(request: HttpRequest, pk: int) -> Nomination:
    """The nomination as this user may see it (HR, or its own State's focal point), or 404."""
    return get_object_or_404(Nomination.objects.visible_to(request.user).for_list(), pk=pk)


class NominateView(ServiceFormMixin, FormView):
    """A focal point nominates a candidate of its State (or Partner)."""

    template_name = "secondments/nominate.html"
    form_class = NominationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.vacancy = vacancy_for(request, kwargs["reference"])
        self.nominator = policies.nomination_submit(request.user, self.vacancy)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "nominator": self.nominator}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(vacancy=self.vacancy, nominator=self.nominator, **kwargs)

    def perform(self, form: NominationForm) -> Nomination:
        data = form.cleaned_data
        return services.nomination_submit(
            actor=self.request.user,
            vacancy=self.vacancy,
            given_name=data["given_name"],
            family_name=data["family_name"],
            email=data["email"],
            nationality=data["nationality"],
            gender=data["gender"],
            motivation=data["motivation"],
            cv=data.get("cv"),
        )

    def success(self, nomination: Nomination) -> HttpResponse:
        messages.success(self.request, _("Nomination submitted."))
        return redirect("secondments:nomination", pk=nomination.pk)


class NominationListView(FacetedListMixin, FilteredListView):
    """HR: every nomination; a focal point: its State's (or Partner's); counts beside the status and
    State choices, counted over those nominations only; a sort order."""

    template_name = "secondments/nomination_list.html"
    filterset_class = NominationFilter
    context_object_name = "nominations"
    export_serializer_class = NominationSerializer
    # One query per facet, over the nominations the reader may see.
    facets = {"status": "status", "state": nominator_expression}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.nominations_read(request.user)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet[Nomination]:
        return Nomination.objects.visible_to(self.request.user).for_list().order_by("-submitted", "-id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        roles = roles_of(self.request.user)
        return super().get_context_data(
            is_hr=is_hr(self.request.user), nominator=roles.state or roles.partner, **kwargs
        )


class NominationDetailView(DetailView):
    """A nomination with its history; HR decides, the nominating State updates or withdraws."""

    template_name = "secondments/nomination_detail.html"
    context_object_name = "nomination"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.nominations_read(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset: Any = None) -> Nomination:
        return nomination_for(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        nomination: Nomination = self.object
        context.update(
            is_hr=is_hr(user),
            may_decide=allows(policies.nomination_decide, user, nomination),
            own=allows(policies.nomination_change, user, nomination),
            decision_form=DecisionForm(),
            update_form=NominationUpdateForm(initial={"motivation": nomination.motivation}),
            reason_form=ReasonForm(),
        )
        return context


class NominationActionView(ServiceActionView):
    """POST from a nomination's page: decide (HR), withdraw or update (the nominating State)."""

    action = ""
    page_view = staticmethod(NominationDetailView.as_view())

    action_policies = {
        "decide": policies.nomination_decide,
        "withdraw": policies.nomination_change,
        "update": policies.nomination_change,
    }

    def perform(self, request: HttpRequest, **kwargs: Any) -> str:
        actor = request.user
        policies.nominations_read(actor)  # HR and focal points only, before any lookup
        nomination = nomination_for(request, kwargs["pk"])
        self.action_policies[self.action](actor, nomination)  # the service's policy, before the form is read
        if self.action == "decide":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise Invalid(errors=form.errors)
            services.nomination_decide(actor=actor, nomination=nomination, **form.cleaned_data)
            return _("Decision recorded.")
        if self.action == "withdraw":
            reason_form = ReasonForm(request.POST)
            reason = reason_form.cleaned_data["reason"] if reason_form.is_valid() else ""
            services.nomination_withdraw(actor=actor, nomination=nomination, reason=reason)
            return _("Nomination withdrawn.")
        update = NominationUpdateForm(request.POST, request.FILES)
        if not update.is_valid():
            raise Invalid(errors=update.errors)
        services.nomination_update(
            actor=actor,
            nomination=nomination,
            motivation=update.cleaned_data["motivation"],
            cv=update.cleaned_data.get("cv"),
        )
        return _("Nomination updated.")

    def redirect_to(self, **kwargs: Any) -> HttpResponse:
        return redirect("secondments:nomination", pk=kwargs["pk"])


class NominationCVView(View):
    """The CV, only to HR and the nominating State, as an attachment."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        policies.nominations_read(request.user)
        nomination = nomination_for(request, pk)
        if not nomination.cv:
            raise Http404
        services.nomination_cv_download(actor=request.user, nomination=nomination)
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
