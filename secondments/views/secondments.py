"""Secondment pages: the list for HR and focal points, renewals and person records for HR."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from accounts.roles import is_hr
from core.errors import Invalid
from core.facets import FacetedListMixin
from core.pages import FilteredListView, ServiceActionView
from secondments import policies, services
from secondments.api.serializers import SecondmentSerializer
from secondments.filters import SecondmentFilter, nominator_expression
from secondments.models import Person, PersonEmail, Secondment

ENDING_SOON_DAYS = 60  # a secondment ending within this many days is marked "ending soon"


class SecondmentListView(FacetedListMixin, FilteredListView):
    """Secondments (HR: all, focal point: own State's or Partner's) with the secondees' names and
    filters, counts beside the choices, a sort order; ``?ending=60`` those ending in the next 60 days.

    Queries, whatever the number of rows: the session and user, the roles (policy), the count, the
    rows with their people, posts and States, the choices of the State and operation filters, and
    one count per facet (status, State, field operation)."""

    template_name = "secondments/secondment_list.html"
    filterset_class = SecondmentFilter
    context_object_name = "secondments"
    export_serializer_class = SecondmentSerializer
    # One query per facet, over the secondments the reader may see.
    facets = {
        "status": "current_status",
        "state": nominator_expression,
        "field_operation": "field_operation__slug",
    }

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.nominations_read(request.user)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet[Secondment]:
        return (
            Secondment.objects.visible_to(self.request.user)
            .with_status()
            .for_list()
            .select_related("field_operation")
            .order_by("end", "id")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["is_hr"] = is_hr(self.request.user)
        context["ending_only"] = bool(self.request.GET.get("ending"))
        context["soon"] = timezone.localdate() + datetime.timedelta(days=ENDING_SOON_DAYS)
        for secondment in context["secondments"]:
            secondment.status_label = Secondment.Status(secondment.current_status).label
        return context


class SecondmentRenewView(ServiceActionView):
    """HR renews a secondment by one year (POST from the list)."""

    page_view = staticmethod(SecondmentListView.as_view())

    def perform(self, request: HttpRequest, **kwargs: Any) -> str:
        policies.nominations_read(request.user)  # HR and focal points only, before any lookup
        secondment = get_object_or_404(Secondment.objects.visible_to(request.user), pk=kwargs["pk"])
        services.secondment_renew(actor=request.user, secondment=secondment)
        return _("Secondment renewed by one year.")

    def redirect_to(self, **kwargs: Any) -> HttpResponse:
        return redirect("secondments:secondments")


class MergeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail of the other record"),
        help_text=gettext_lazy("Any address the same person was selected with before."),
    )


class PersonDetailView(DetailView):
    """HR: a person's record (e-mails, secondments, years served) and merging another record into it."""

    template_name = "secondments/person_detail.html"
    context_object_name = "person"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.secondment_manage(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        return Person.objects.prefetch_related("emails")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person: Person = self.object
        secondments = list(person.secondments.with_status().for_list().order_by("start", "id"))
        context.update(
            secondments=secondments,
            years=sum(secondment.years for secondment in secondments),
            merge_form=kwargs.get("merge_form") or MergeForm(),
        )
        return context


class PersonMergeView(ServiceActionView):
    """HR merges another record (found by one of its e-mails) into this person."""

    page_view = staticmethod(PersonDetailView.as_view())

    def perform(self, request: HttpRequest, **kwargs: Any) -> str:
        policies.secondment_manage(request.user)  # before any lookup: records exist for HR only
        into = get_object_or_404(Person, pk=kwargs["pk"])
        form = MergeForm(request.POST)
        if not form.is_valid():
            raise Invalid(errors=form.errors)
        other = (
            PersonEmail.objects.filter(email__iexact=form.cleaned_data["email"])
            .select_related("person")
            .first()
        )
        if other is None:
            raise Invalid(errors={"email": _("No person record has this e-mail address.")})
        services.person_merge(actor=request.user, person=other.person, into=into)
        messages.info(request, _("The records are merged: the service limits now count both."))
        return ""

    def redirect_to(self, **kwargs: Any) -> HttpResponse:
        return redirect("secondments:person", pk=kwargs["pk"])
