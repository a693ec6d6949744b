"""Pages of the organisation: participating States, one State, the dimensions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from core.exports import CSVExportMixin
from core.facets import FacetedListMixin
from core.pages import FilteredListView, ServiceFormMixin
from core.policies import allows, require_user
from states import policies, services
from states.api.serializers import DimensionSerializer, StateSerializer
from states.filters import BodyFilter, StateFilter, decade_expression, membership_expression
from states.forms import DelegationForm
from states.models import Body, Chairpersonship, Delegation, Dimension, Diplomat, Partner, State, Topic
from states.names import sorted_by_name
from states.sources import citations

# Panels other apps may ship for the State page (elections held, nominations statistics, ...).
# Each is rendered with ``state`` in its context when its template exists, so those apps plug in
# without this app importing them.
STATE_PANELS = (
    "elections/includes/state_panel.html",
    "secondments/includes/state_panel.html",
)


class StateListView(FacetedListMixin, FilteredListView):
    """``/states/``: today's participants by default; search, a membership date, the decade joined,
    counts beside the choices, a sort order.

    Rows are sorted by the States' names in the page's language (Autriche among the A's in French)
    unless another order is asked for (``?sort=``). Queries, whatever the number of rows: the
    States, the Partners, one count per facet (membership, decade joined; no membership count when
    a date is given, as the date then decides), and one more (the names) for an order by name.
    """

    template_name = "states/state_list.html"
    filterset_class = StateFilter
    context_object_name = "states"
    export_serializer_class = StateSerializer
    paginate_by = None  # type: ignore[assignment]  # at most a few dozen States: one page
    facets = {"membership": membership_expression, "joined": decade_expression}

    def base_queryset(self) -> QuerySet[State]:
        return State.objects.order_by("name")

    def get_facets(self) -> dict[str, Any]:
        if self.filterset.is_valid() and self.filterset.form.cleaned_data.get("as_of"):
            return {name: by for name, by in self.facets.items() if name != "membership"}
        return self.facets

    def sorted_as_asked(self) -> bool:
        return self.filterset.is_valid() and bool(self.filterset.form.cleaned_data.get("sort"))

    def export_queryset(self, queryset: QuerySet[State]) -> QuerySet[State]:
        # In the page's order: the one asked for, else by the names in the page's language.
        queryset = queryset.with_chairpersonships()  # type: ignore[attr-defined]
        if self.sorted_as_asked():
            return queryset
        return queryset.order_by(State.objects.local_name_order(), "code")  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        context.update(
            {
                "form": self.filterset.form,
                "as_of": data.get("as_of"),
                "membership": data.get("membership") or "current",
                "search": data.get("search") or "",
                "today": timezone.localdate(),
                "partners": sorted(sorted_by_name(Partner.objects.all()), key=lambda partner: partner.group),
            }
        )
        if not self.sorted_as_asked():
            context["states"] = context["object_list"] = sorted_by_name(context["states"])
        return context


class StateDetailView(DetailView):
    """``/states/<code>/``: membership dates, chairpersonships, the permanent mission, field operations.

    A constant number of queries: the State with its successor and mission (1), its predecessors,
    chairpersonships, the mission's members and their bodies, field operations hosted (5).
    """

    template_name = "states/state_detail.html"
    context_object_name = "state"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        code = kwargs["code"]
        if code != code.upper():
            # Codes are upper-case; a lower-case address leads to the State's page.
            return HttpResponseRedirect(reverse("states:detail", kwargs={"code": code.upper()}))
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset: QuerySet[State] | None = None) -> State:
        state = (
            State.objects.select_related("successor", "delegation")
            .prefetch_related(
                Prefetch("predecessors", queryset=State.objects.order_by("left", "name")),
                Prefetch("chairpersonships", queryset=Chairpersonship.objects.order_by("year")),
                Prefetch(
                    "delegation__members",
                    queryset=Diplomat.objects.prefetch_related("bodies"),
                ),
                "field_operations",
            )
            .filter(code=self.kwargs["code"])
            .first()
        )
        if state is None:
            raise Http404
        return state

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        state: State = self.object
        try:
            delegation = state.delegation
        except State.delegation.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
            delegation = None
        context.update(
            {
                "delegation": delegation,
                "chairpersonship_years": [chair.year for chair in state.chairpersonships.all()],
                "field_operations": list(state.field_operations.all()),
                "panels": _existing_templates(STATE_PANELS),
                "citations": citations(state.source),
                "may_edit_delegation": delegation is not None
                and allows(policies.delegation_edit, self.request.user, delegation),
                "today": timezone.localdate(),
            }
        )
        return context


def _existing_templates(names: tuple[str, ...]) -> list[str]:
    found = []
    for name in names:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return found


class DimensionListView(CSVExportMixin, ListView):
    """``/dimensions/``: the three dimensions, their topics, and how many field operations each tags.

    Three queries whatever the data: dimensions with their counts, topics with theirs, and the
    field operations tagged with each dimension (names and slugs only).
    """

    template_name = "states/dimension_list.html"
    context_object_name = "dimensions"
    export_serializer_class = DimensionSerializer

    def get_queryset(self) -> QuerySet[Dimension]:
        from missions.models import FieldOperation

        return (
            Dimension.objects.annotate(field_operation_count=Count("field_operations", distinct=True))
            .prefetch_related(
                Prefetch(
                    "topics",
                    queryset=Topic.objects.annotate(
                        field_operation_count=Count("field_operations", distinct=True)
                    ).order_by("name"),
                ),
                Prefetch(
                    "field_operations",
                    queryset=FieldOperation.objects.only("slug", "name", "closed").order_by("name"),
                ),
            )
            .order_by("order", "slug")
        )


class BodyListView(FilteredListView):
    """``/bodies/``: the bodies and institutions by kind, with their seats; the chairpersonships.

    Two queries whatever the data: the bodies, the chairpersonships with their States.
    """

    template_name = "states/body_list.html"
    filterset_class = BodyFilter
    context_object_name = "bodies"
    paginate_by = None  # type: ignore[assignment]  # a few dozen bodies, grouped by kind on one page

    def base_queryset(self) -> QuerySet[Body]:
        return Body.objects.order_by("name")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        labels = dict(Body.Kind.choices)
        bodies = list(context["bodies"])
        context["groups"] = [
            {"kind": kind, "label": labels[kind], "bodies": [body for body in bodies if body.kind == kind]}
            for kind in Body.Kind.values
            if any(body.kind == kind for body in bodies)
        ]
        context["count"] = len(bodies)
        context["chairpersonships"] = list(Chairpersonship.objects.select_related("state").order_by("-year"))
        context["this_year"] = timezone.localdate().year
        return context


class BodyDetailView(DetailView):
    """``/bodies/<slug>/``: what a body does, its seat, its sources, the diplomats who follow it.

    Decision-making bodies are chaired by the Chairpersonship: their page shows this year's and the
    next. A constant number of queries: the body, the diplomats with their States, the chairs (3).
    """

    template_name = "states/body_detail.html"
    context_object_name = "body"
    slug_field = "slug"

    def get_queryset(self) -> QuerySet[Body]:
        return Body.objects.prefetch_related(
            Prefetch(
                "diplomats",
                queryset=Diplomat.objects.select_related("delegation__state").order_by(
                    "delegation__state__name", "order", "name"
                ),
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        body: Body = self.object
        year = timezone.localdate().year
        context["citations"] = citations(body.source)
        context["diplomats"] = list(body.diplomats.all())
        context["chairs"] = (
            list(Chairpersonship.objects.select_related("state").filter(year__in=(year, year + 1)))
            if body.kind == Body.Kind.DECISION_MAKING
            else []
        )
        context["this_year"] = year
        return context


class DelegationEditView(ServiceFormMixin, FormView):
    """``/states/<code>/delegation/``: the State's focal point edits its permanent mission."""

    template_name = "states/delegation_form.html"
    form_class = DelegationForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_user(request.user)
        self.delegation = get_object_or_404(
            Delegation.objects.select_related("state"), state_id=kwargs["code"].upper()
        )
        policies.delegation_edit(request.user, self.delegation)  # before the form: 404 for another State
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {
            "head_name": self.delegation.head_name,
            "head_title": self.delegation.head_title,
            "address": self.delegation.address,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["delegation"] = self.delegation
        context["state"] = self.delegation.state
        return context

    def perform(self, form: DelegationForm) -> Delegation:
        return services.delegation_update(
            actor=self.request.user, delegation=self.delegation, **form.cleaned_data
        )

    def success(self, delegation: Delegation) -> HttpResponse:
        messages.success(self.request, _("The permanent mission was saved."))
        return redirect("states:detail", code=delegation.state_id)
