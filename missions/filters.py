"""One FilterSet per list, used by the page and by the API alike.

Every filter validates its value through a form field (choices, dates, known codes and slugs), so an
unknown value is a form error: 400 on the API, an error message on the page.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.sorting import SortFilter
from missions.models import FieldOperation, Project
from states.filters import StateCodeFilter
from states.models import Body, Dimension, State


class LowerCaseModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower()
        return super().to_python(value)


class SlugFilter(django_filters.ModelChoiceFilter):
    field_class = LowerCaseModelChoiceField


STATUS_CHOICES = (("active", _("active")), ("closed", _("closed")))


class FieldOperationFilter(FilterSet):
    """Filters of ``/missions/`` and ``/api/v1/field-operations/``."""

    status = django_filters.ChoiceFilter(
        label=_("Status (today)"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("any")
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=FieldOperation.Region.choices, empty_label=_("any")
    )
    host_state = StateCodeFilter(label=_("Host State"), queryset=State.objects.order_by("name"))
    dimension = SlugFilter(
        label=_("Dimension"),
        queryset=Dimension.objects.all(),
        to_field_name="slug",
        field_name="dimensions",
        empty_label=_("any"),
    )
    as_of = django_filters.DateFilter(
        label=_("Active on"),
        method="filter_as_of",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A date, e.g. 2015-01-01"),
    )
    search = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    sort = SortFilter(
        {
            "name": (_("Name"), ("name", "id")),
            "established": (_("Established, oldest first"), ("established", "name", "id")),
            "-established": (_("Established, newest first"), ("-established", "name", "id")),
        }
    )

    class Meta:
        model = FieldOperation
        fields = ["status", "region", "host_state", "dimension", "as_of", "search", "sort"]

    def filter_status(self, queryset: Any, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == "active":
            return queryset.active(today)
        if value == "closed":
            return queryset.inactive(today)
        return queryset

    def filter_as_of(self, queryset: Any, name: str, value: datetime.date | None) -> QuerySet:
        return queryset.active(value) if value else queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(location__icontains=value)
            | Q(slug__icontains=value)
            | Q(code__iexact=value)
            | Q(host_state__name__icontains=value)
        )

    @property
    def qs(self) -> QuerySet:
        # The dimension filter joins a many-to-many table: keep one row per operation. (Unbound, no
        # form is built: /missions/ from its cached fragments needs none.)
        queryset = super().qs
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("dimension"):
            queryset = queryset.distinct()
        return queryset


class ProjectFilter(FilterSet):
    """Filters of ``/projects/`` and ``/api/v1/projects/``."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Project.Status.choices, empty_label=_("any")
    )
    dimension = SlugFilter(
        label=_("Dimension"), queryset=Dimension.objects.all(), to_field_name="slug", empty_label=_("any")
    )
    field_operation = SlugFilter(
        label=_("Field operation"),
        queryset=FieldOperation.objects.all(),
        to_field_name="slug",
        empty_label=_("any"),
    )
    body = SlugFilter(
        label=_("Institution or body"),
        queryset=Body.objects.all(),
        to_field_name="slug",
        empty_label=_("any"),
    )
    implementer = django_filters.CharFilter(
        label=_("Implementer (slug)"), method="filter_implementer", max_length=120
    )
    state = StateCodeFilter(label=_("Pledged by"), method="filter_state")
    search = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    sort = SortFilter(
        {
            "-created": (_("Newest first"), ("-created", "-id")),
            "title": (_("Title"), ("title", "id")),
            "-budget": (_("Largest budget first"), ("-budget_eur", "-id")),
            "budget": (_("Smallest budget first"), ("budget_eur", "id")),
        }
    )

    class Meta:
        model = Project
        fields = ["status", "dimension", "field_operation", "body", "implementer", "state", "search", "sort"]

    def filter_implementer(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip().lower()
        return queryset.filter(Q(field_operation__slug=value) | Q(body__slug=value)) if value else queryset

    def filter_state(self, queryset: QuerySet, name: str, value: State | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=value.pledges.values("project_id"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
