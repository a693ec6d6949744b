"""Filters shared by every app's API lists."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod


class UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time, read in UTC. Python takes offsets up to ±23:59, PostgreSQL only up to
    ±15:59: a time such as ``…T11:37:22+22:59`` is valid and is compared in UTC; one that leaves
    the calendar once in UTC (year 1 at a negative offset) is a form error (400), never a 500."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(_("This time is out of range."), code="invalid") from None


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class StableOrderingFilter(django_filters.OrderingFilter):
    """``ordering=updated`` / ``-updated``, with the primary key breaking ties so pages never
    overlap nor skip a row."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-pk" if str(value[-1]).startswith("-") else "pk")
        return qs


class _FreshFields(dict[str, Any]):
    """A form class's fields that are already this request's own: Django's Form deep-copies its
    ``base_fields`` on every instance; these were built for this one form, so a shallow copy does."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return dict(self)


def _fresh(filter_: django_filters.Filter) -> django_filters.Filter:
    """A copy of a declared filter for one FilterSet: its own ``extra`` (a request's queryset is
    written there), no form field built yet, and its method bound to the copy."""
    fresh = copy.copy(filter_)
    fresh.__dict__.pop("_field", None)
    fresh.extra = dict(filter_.extra)
    if getattr(filter_, "_method", None) is not None:
        fresh.filter = FilterMethod(fresh)
    return fresh


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet without its two deep copies per instance.

    Each FilterSet deep-copies every declared filter, builds each form field afresh, then its form
    deep-copies all those fields again (hundreds of copies of querysets, widgets and lazy labels
    per list request: the largest part of a filtered API list's time in the profile, issue 13).
    Here each filter is copied shallowly with the state that is per instance made its own
    (``_fresh``), and the form takes the fields just built for it. Every FilterSet of the portal
    derives from this one."""

    def __init__(
        self, data: Any = None, queryset: Any = None, *, request: Any = None, prefix: str | None = None
    ) -> None:
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _fresh(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    # True on a FilterSet whose form fields depend on nothing per request or per row: no queryset
    # or choices computed from the request, and no code writing into its form's fields (a page's
    # facet counts do: page FilterSets stay False). Its form class and fields are then built once
    # per process and shared by every request's form; only the bound data and errors are the form's.
    static_form = False

    def get_form_class(self) -> type[forms.Form]:
        if self.static_form:
            cls = type(self)
            built = cls.__dict__.get("_static_form_class")
            if built is None:
                for name, filter_ in self.filters.items():
                    if callable(getattr(filter_, "queryset", None)) or callable(filter_.extra.get("choices")):
                        raise ImproperlyConfigured(
                            f"{cls.__name__}.{name} depends on the request: not static_form"
                        )
                built = super().get_form_class()
                built.base_fields = _FreshFields(built.base_fields)
                cls._static_form_class = built  # type: ignore[attr-defined]
            return built  # type: ignore[no-any-return]
        form_class = super().get_form_class()
        form_class.base_fields = _FreshFields(form_class.base_fields)
        return form_class


class SyncFilterSet(FilterSet):
    """Incremental sync for an API list: ``updated_since=TIME`` (the objects changed at or after
    that time, ISO 8601; a malformed time answers 400) and ``ordering=updated``/``-updated``.

    An app's API FilterSet inherits from its page FilterSet and from this one, so the page's
    filters stay the same and the API adds these."""

    updated_since = UpdatedSinceFilter(
        field_name="updated",
        lookup_expr="gte",
        label=_("Changed since"),
        help_text=_("Only the objects changed at or after this time (ISO 8601, with an offset)."),
    )
    ordering = StableOrderingFilter(
        fields=(("updated", "updated"),),
        label=_("Order"),
        help_text=_("updated: oldest change first; -updated: newest first."),
    )
