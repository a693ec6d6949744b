"""Pages of field operations and projects. Wiring only: reads from querysets, writes through services."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, View

from accounts.roles import focal_state, is_hr
from core.errors import Conflict, Invalid
from core.facets import FacetedListMixin
from core.pages import (
    AnonymousPageCacheMixin,
    FilteredListView,
    ServiceFormMixin,
    form_add_error,
    object_for_action,
)
from core.policies import require_user
from core.versions import OnMiss, fragment_key
from missions import policies, services
from missions.api.serializers import FieldOperationSerializer, ProjectSerializer
from missions.charts import staff_chart
from missions.filters import FieldOperationFilter, ProjectFilter
from missions.forms import FiguresForm, PledgeForm, ProjectForm, ReceiptForm
from missions.models import FieldOperation, Figures, HeadOfOperation, MandateEvent, Pledge, Project
from missions.sections import sections_for, sections_key, sections_models
from states.models import Body, Dimension, State, Topic
from states.sources import citations

# What /missions/' fragments show: the operations with their host State and predecessor, the
# dimensions filter and facet (through the many-to-many table) and the host State choices.
LIST_MODELS = (FieldOperation, FieldOperation.dimensions.through, State, Dimension)

# What /missions/<slug>/'s two fragments show. The overview: the operation, its chain of names,
# host State, dimensions, topics, current head (and nationality), figures. The history: the
# mandate events (and the operation's dates), heads, projects (implementer, dimension, pledges)
# and the sections (``missions.sections`` names the tables each reads).
OVERVIEW_MODELS = (
    FieldOperation,
    FieldOperation.dimensions.through,
    FieldOperation.topics.through,
    State,
    Dimension,
    Topic,
    HeadOfOperation,
    Figures,
)
# A mission page shows the operation's most recent projects; all of them are on /projects/, filtered.
PROJECTS_SHOWN = 25

HISTORY_MODELS = (FieldOperation, MandateEvent, HeadOfOperation, Project, Pledge, Body, Dimension)


class FieldOperationListView(AnonymousPageCacheMixin, FacetedListMixin, FilteredListView):
    """``/missions/``: every operation, filtered, grouped by region; counts beside the choices.

    The filter form (with its facet counts) and the results are two fragments cached per process
    under the versions of the tables they show (``fragment_key``, read before any row); the rows,
    the groups and the counts are ``OnMiss`` values, read only when a fragment is rendered afresh.
    """

    template_name = "missions/list.html"
    partial_template_name = "missions/_list_results.html"
    filterset_class = FieldOperationFilter
    context_object_name = "operations"
    export_serializer_class = FieldOperationSerializer
    paginate_by = None  # type: ignore[assignment]  # grouped by region: every operation on one page (43)
    facets = {"region": "region", "host_state": "host_state_id", "dimension": "dimensions__slug"}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # The key first: the versions are read before any row, so a fragment is never older than it.
        self.fragment_key = fragment_key(request=request, model_list=LIST_MODELS)
        return super().get(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet:
        return FieldOperation.objects.for_table().order_by("region", "name", "id")

    def export_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.for_list()  # type: ignore[attr-defined,no-any-return]  # what the serializer reads

    def facets_wanted(self, context: dict[str, Any]) -> bool:
        return False  # counted by the filter form's OnMiss, only when the form is rendered afresh

    def groups(self) -> list[dict[str, Any]]:
        labels = dict(FieldOperation.Region.choices)
        order = list(FieldOperation.Region.values)
        # Grouped by region; within a region, the rows keep the query's order (by name, or ?sort=).
        operations = sorted(self.object_list, key=lambda operation: order.index(operation.region))
        return [
            {"region": region, "label": labels[region], "operations": list(rows)}
            for region, rows in groupby(operations, key=lambda operation: operation.region)
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        groups = OnMiss(self.groups)
        context.update(
            fragment_key=self.fragment_key,
            filter_form=OnMiss(self.filter_form),
            groups=groups,
            count=OnMiss(lambda: sum(len(group["operations"]) for group in groups())),
        )
        return context


class FieldOperationDetailView(AnonymousPageCacheMixin, DetailView):
    """``/missions/<slug>/``: overview, figures, mandate timeline, projects, other apps' sections.

    Two fragments, the overview with the figures and the history (mandate events, heads, projects,
    sections, sources), each cached per process under the versions of every table it shows (the
    sections' too), the slug and the sections registered. HR's "record figures" form between them
    carries the user's CSRF token and is never cached. The page reads the operation's row (one
    query: a 404 when absent, the title); ``overview`` and ``history`` read the rest, each only
    when its fragment is rendered afresh.
    """

    template_name = "missions/detail.html"
    context_object_name = "operation"
    slug_field = "slug"

    def page_key_extra(self) -> tuple[str, ...]:
        return (sections_key(),)  # the sections registered, as the history fragment's key

    def get_object(self, queryset: QuerySet | None = None) -> FieldOperation:
        # The keys first: the versions are read before any row, so a fragment is never older than
        # its key.
        self.overview_key = fragment_key(request=self.request, model_list=OVERVIEW_MODELS)
        self.history_key = fragment_key(
            request=self.request, model_list=(*HISTORY_MODELS, *sections_models())
        )
        return super().get_object(queryset)  # type: ignore[no-any-return]

    def get_queryset(self) -> QuerySet:
        return FieldOperation.objects.select_related("host_state", "predecessor", "successor")

    def prefetch_heads(self) -> None:
        heads = HeadOfOperation.objects.select_related("nationality").order_by("-started")
        prefetch_related_objects([self.object], Prefetch("heads", queryset=heads))

    def overview(self) -> dict[str, Any]:
        """The overview fragment's rows: dimensions, topics, heads, figures; the chain of names."""
        operation: FieldOperation = self.object
        self.prefetch_heads()
        figures_ordered = Prefetch("figures", queryset=Figures.objects.order_by("as_of"))
        prefetch_related_objects([operation], "dimensions", "topics", figures_ordered)
        figures = list(operation.figures.all())
        return {
            "figures": figures,
            "chart": staff_chart(figures),
            "chain": rename_chain(operation),
            "head": operation.current_head(),
        }

    def history(self) -> dict[str, Any]:
        """The history fragment's rows: mandate events, heads, projects, the sections."""
        operation: FieldOperation = self.object
        self.prefetch_heads()
        prefetch_related_objects(
            [operation], Prefetch("mandate_events", queryset=MandateEvent.objects.order_by("date", "id"))
        )
        # The most recent PROJECTS_SHOWN (one more read tells whether there are more; only then counted).
        newest = Project.objects.for_table().filter(field_operation=operation).order_by("-created", "-id")
        projects = list(newest[: PROJECTS_SHOWN + 1])
        more = len(projects) > PROJECTS_SHOWN
        return {
            "timeline": timeline(operation),
            "heads": list(operation.heads.all()),
            "projects": projects[:PROJECTS_SHOWN],
            "projects_total": operation.projects.count() if more else len(projects),
            "sections": sections_for(operation, self.request),
            "citations": citations(operation.source),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            overview_key=self.overview_key,
            history_key=self.history_key,
            sections_key=sections_key(),
            overview=OnMiss(self.overview),
            history=OnMiss(self.history),
            is_hr=is_hr(self.request.user),
        )
        if context["is_hr"]:
            context["figures_form"] = kwargs.get("figures_form") or FiguresForm(
                initial={"as_of": timezone.localdate()}
            )
        return context


def timeline(operation: FieldOperation) -> list[dict[str, Any]]:
    """The mandate history in date order: establishment, recorded events, closure."""
    events: list[dict[str, Any]] = []
    recorded = list(operation.mandate_events.all())
    if not any(event.kind == MandateEvent.Kind.ESTABLISHMENT for event in recorded):
        events.append(
            {
                "date": operation.established,
                "precision": operation.established_precision,
                "label": _("Established"),
                "decision": ", ".join(operation.decisions[:1]),
                "note": "",
            }
        )
    for event in recorded:
        events.append(
            {
                "date": event.date,
                "precision": event.date_precision,
                "label": event.get_kind_display(),
                "decision": event.decision,
                "note": event.note,
                "until": event.until,
            }
        )
    if operation.closed and not any(event.kind == MandateEvent.Kind.CLOSURE for event in recorded):
        events.append(
            {
                "date": operation.closed,
                "precision": operation.closed_precision,
                "label": _("Closed"),
                "decision": "",
                "note": "",
            }
        )
    events.sort(key=lambda event: event["date"])
    return events


def rename_chain(operation: FieldOperation) -> list[FieldOperation]:
    """Predecessors and successors, oldest first (a handful of rows: one query per step)."""
    before: list[FieldOperation] = []
    current = operation.predecessor
    while current is not None and len(before) < 20:
        before.insert(0, current)
        current = current.predecessor
    after: list[FieldOperation] = []
    current = operation.successor_or_none()
    while current is not None and len(after) < 20:
        after.append(current)
        current = current.successor_or_none()
    return [*before, operation, *after] if before or after else []


class FiguresCreateView(View):
    """HR records figures from the operation's page (POST only)."""

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        require_user(request.user)
        operation = get_object_or_404(FieldOperation, slug=slug)
        policies.hr_only(request.user)  # before reading the form: the service's own policy
        form = FiguresForm(request.POST)
        if form.is_valid():
            try:
                services.figures_record(actor=request.user, operation=operation, **form.cleaned_data)
            except (Invalid, Conflict) as error:
                form_add_error(form, error)
            else:
                messages.success(request, _("The figures were recorded."))
                return HttpResponseRedirect(operation.get_absolute_url() + "#figures")
        view = FieldOperationDetailView()
        view.setup(request, slug=slug)
        view.object = view.get_object()
        response = view.render_to_response(view.get_context_data(object=view.object, figures_form=form))
        response.status_code = 400
        return response


class ProjectListView(FacetedListMixin, FilteredListView):
    """``/projects/``: projects with budget against pledges; counts beside the choices."""

    template_name = "missions/project_list.html"
    partial_template_name = "missions/_project_results.html"
    filterset_class = ProjectFilter
    context_object_name = "projects"
    facets = {"status": "status", "dimension": "dimension_id"}
    export_serializer_class = ProjectSerializer

    def base_queryset(self) -> QuerySet:
        return Project.objects.for_list().order_by("-created", "-id")


class ProjectDetailView(DetailView):
    """``/projects/<id>/``: the project, its pledges, and the forms of those who may act on it."""

    template_name = "missions/project_detail.html"
    context_object_name = "project"

    def get_queryset(self) -> QuerySet:
        return Project.objects.for_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["focal_state"] = focal_state(user)
        context["is_hr"] = is_hr(user)
        context["pledges"] = list(self.object.pledges.all())
        if context["focal_state"] is not None and self.object.is_pledgeable:
            context["pledge_form"] = kwargs.get("pledge_form") or PledgeForm()
        if context["is_hr"]:
            context["receipt_forms"] = kwargs.get("receipt_forms") or {}
            context["receipt_form"] = ReceiptForm(initial={"received": timezone.localdate()})
        return context


def _render_project(request: HttpRequest, pk: int, status: int, **extra: Any) -> HttpResponse:
    view = ProjectDetailView()
    view.setup(request, pk=pk)
    view.object = view.get_object()
    response = view.render_to_response(view.get_context_data(object=view.object, **extra))
    response.status_code = status
    return response


class PledgeCreateView(View):
    """A focal point pledges its State's funds from the project page (POST only)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        require_user(request.user)
        project = get_object_or_404(Project, pk=pk)
        policies.pledge_create(request.user)  # before reading the form: the service's own policy
        form = PledgeForm(request.POST)
        if form.is_valid():
            try:
                services.pledge_create(
                    actor=request.user,
                    project=project,
                    amount_eur=form.cleaned_data["amount_eur"],
                    note=form.cleaned_data["note"],
                )
            except Invalid as error:
                form_add_error(form, error)
            except Conflict as error:
                messages.error(request, error.message)
                return _render_project(request, pk, 409)
            else:
                messages.success(request, _("Your pledge was recorded. Thank you."))
                return HttpResponseRedirect(project.get_absolute_url() + "#pledges")
        return _render_project(request, pk, 400, pledge_form=form)


class ReceiptCreateView(View):
    """HR records the receipt of a pledge from the project page (POST only)."""

    def post(self, request: HttpRequest, pk: int, pledge_pk: int) -> HttpResponse:
        require_user(request.user)
        pledge = get_object_or_404(Pledge, pk=pledge_pk, project_id=pk)
        policies.hr_only(request.user)  # before reading the form: the service's own policy
        form = ReceiptForm(request.POST)
        if form.is_valid():
            try:
                services.pledge_record_receipt(
                    actor=request.user,
                    pledge=pledge,
                    received=form.cleaned_data["received"],
                    amount_eur=form.cleaned_data["amount_eur"] or None,
                )
            except Invalid as error:
                form_add_error(form, error)
            else:
                messages.success(request, _("The receipt was recorded."))
                return HttpResponseRedirect(pledge.project.get_absolute_url() + "#pledges")
        return _render_project(request, pk, 400, receipt_forms={pledge.pk: form})


class ProjectCreateView(ServiceFormMixin, FormView):
    """``/projects/new/``: HR records a project submitted by a field operation or an institution."""

    template_name = "missions/project_form.html"
    form_class = ProjectForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_user(request.user)
        policies.project_manage(request.user)  # before reading the form: the service's own policy
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form: ProjectForm) -> Project:
        return services.project_submit(actor=self.request.user, **form.cleaned_data)

    def success(self, project: Project) -> HttpResponse:
        messages.success(self.request, _("The project was recorded."))
        return redirect(project.get_absolute_url())


class ProjectEditView(ServiceFormMixin, FormView):
    """``/projects/<id>/edit/``: HR edits a project (its budget, dates, status...)."""

    template_name = "missions/project_form.html"
    form_class = ProjectForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.project = object_for_action(
            request,
            Project.objects.select_related("field_operation", "body"),
            policies.project_manage,
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        project = self.project
        return {
            "title": project.title,
            "field_operation": project.field_operation,
            "body": project.body,
            "dimension": project.dimension_id,
            "budget_eur": project.budget_eur,
            "status": project.status,
            "starts": project.starts,
            "ends": project.ends,
            "description": project.description,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        return context

    def perform(self, form: ProjectForm) -> Project:
        return services.project_update(actor=self.request.user, project=self.project, **form.cleaned_data)

    def success(self, project: Project) -> HttpResponse:
        messages.success(self.request, _("The project was saved."))
        return redirect(project.get_absolute_url())
