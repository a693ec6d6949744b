"""Recommendation pages: the list (filters as the API's), a recommendation with its assessment
history, a State's recommendations (by status and topic, the share implemented over the years);
ODIHR adds, edits and assesses recommendations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from core.errors import Invalid
from core.pages import FilteredListView, ServiceActionView, ServiceFormMixin
from core.policies import allows
from elections import policies, services
from elections.api.serializers import RecommendationSerializer
from elections.filters import RecommendationFilter
from elections.forms import AssessmentForm, RecommendationForm
from elections.models import Recommendation
from elections.panels import state_recommendations
from elections.views.activities import activity_for
from states.models import State


def recommendation_for(request: HttpRequest, pk: int) -> Recommendation:
    return get_object_or_404(Recommendation.objects.visible_to(request.user).for_list(), pk=pk)


class RecommendationListView(FilteredListView):
    """``/elections/recommendations/``: every recommendation, newest report first; filters
    ``state``, ``activity``, ``status``, ``topic`` (the API's)."""

    template_name = "elections/recommendation_list.html"
    filterset_class = RecommendationFilter
    context_object_name = "recommendations"
    export_serializer_class = RecommendationSerializer

    def base_queryset(self) -> QuerySet[Recommendation]:
        # 1 count + 1 page (report, activity, election, State, topic joined) + 1 prefetch of the
        # assessments, besides the filter's choices.
        return (
            Recommendation.objects.visible_to(self.request.user)
            .for_list()
            .order_by("-report__published", "report_id", "number", "id")
        )


class RecommendationDetailView(DetailView):
    """``/elections/recommendations/<id>/``: the recommendation and every assessment (the latest by
    date is its status); ODIHR's assessment form."""

    template_name = "elections/recommendation_detail.html"
    context_object_name = "recommendation"

    def get_object(self, queryset: Any = None) -> Recommendation:
        return recommendation_for(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        recommendation: Recommendation = self.object
        assessments = list(recommendation.assessments.all())  # by date, then entry: the last is the status
        context.update(
            election=recommendation.report.activity.election,
            assessments=assessments,
            latest=assessments[-1] if assessments else None,
            may_assess=allows(policies.recommendation_assess, user, recommendation),
            may_manage=allows(policies.recommendation_manage, user, recommendation),
        )
        context.setdefault("assessment_form", AssessmentForm())
        return context


class RecommendationCreateView(ServiceFormMixin, FormView):
    """ODIHR adds a recommendation of an activity's final report."""

    template_name = "elections/recommendation_form.html"
    form_class = RecommendationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.activity = activity_for(request, kwargs["pk"])
        policies.recommendation_manage(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(activity=self.activity, election=self.activity.election, **kwargs)

    def perform(self, form: RecommendationForm) -> Recommendation:
        return services.recommendation_add(
            actor=self.request.user, activity=self.activity, **form.cleaned_data
        )

    def success(self, recommendation: Recommendation) -> HttpResponse:
        messages.success(self.request, _("Recommendation added."))
        return redirect("elections:recommendation", pk=recommendation.pk)


class RecommendationEditView(ServiceFormMixin, FormView):
    """ODIHR corrects a recommendation's number, text or topic (its status follows assessments)."""

    template_name = "elections/recommendation_form.html"
    form_class = RecommendationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.recommendation = recommendation_for(request, kwargs["pk"])
        policies.recommendation_manage(request.user, self.recommendation)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "instance": Recommendation.objects.get(pk=self.recommendation.pk),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        activity = self.recommendation.report.activity
        return super().get_context_data(
            recommendation=self.recommendation, activity=activity, election=activity.election, **kwargs
        )

    def perform(self, form: RecommendationForm) -> Recommendation:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.recommendation_update(
            actor=self.request.user, recommendation=self.recommendation, **changes
        )

    def success(self, recommendation: Recommendation) -> HttpResponse:
        messages.success(self.request, _("Recommendation saved."))
        return redirect("elections:recommendation", pk=recommendation.pk)


class RecommendationAssessView(ServiceActionView):
    """POST ``/elections/recommendations/<id>/assess/``: ODIHR adds an assessment (the earlier ones
    stay); a refusal shows the recommendation's page again with the message (400)."""

    page_view = staticmethod(RecommendationDetailView.as_view())

    def perform(self, request: HttpRequest, **kwargs: Any) -> str:
        recommendation = recommendation_for(request, kwargs["pk"])
        policies.recommendation_assess(request.user, recommendation)  # before the form is read
        form = AssessmentForm(request.POST)
        if not form.is_valid():
            raise Invalid(
                [
                    f"{form.fields[name].label}: {error}"
                    for name, errors in form.errors.items()
                    for error in errors
                ]
            )
        services.recommendation_assess(actor=request.user, recommendation=recommendation, **form.cleaned_data)
        return _("Assessment recorded.")

    def redirect_to(self, **kwargs: Any) -> HttpResponse:
        return redirect("elections:recommendation", pk=kwargs["pk"])


class StateRecommendationsView(TemplateView):
    """``/elections/recommendations/<code>/``: a State's recommendations by status and topic, the
    share implemented over the years, and those not yet fully implemented."""

    template_name = "elections/recommendations.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        state = get_object_or_404(State, code=str(self.kwargs["code"]).upper())
        recommendations = (
            Recommendation.objects.of_state(state).open().for_list().order_by("-report__published", "number")
        )
        context.update(state=state, recommendations=recommendations, summary=state_recommendations(state))
        return context
