"""Filters shared by every app's API lists."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


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


class SyncFilterSet(django_filters.FilterSet):
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
