"""Filters shared by every app's API lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


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

    updated_since = django_filters.IsoDateTimeFilter(
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
