"""The audit trail's filters (the HR page)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.models import AuditEntry


class AuditFilter(FilterSet):
    """By action (``login.failed``, or a prefix such as ``nomination``), user, object and day."""

    action = django_filters.CharFilter(
        label=_("Action"), method="filter_action", max_length=64, help_text=_("For example login.failed")
    )
    actor = django_filters.CharFilter(
        label=_("User"), field_name="actor__username", lookup_expr="iexact", max_length=150
    )
    target_type = django_filters.CharFilter(label=_("Object type"), max_length=64)
    target_id = django_filters.CharFilter(label=_("Object id"), max_length=64)
    since = django_filters.DateFilter(label=_("From"), field_name="at__date", lookup_expr="gte")
    until = django_filters.DateFilter(label=_("Until"), field_name="at__date", lookup_expr="lte")

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_action(self, queryset: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        value = value.strip()
        if "." in value:
            return queryset.filter(action=value)
        return queryset.filter(action__startswith=f"{value}.")
