"""Reads of field operations and projects."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Prefetch, Q

from core.models import related_model


class FieldOperationQuerySet(models.QuerySet):
    def active(self, on: datetime.date) -> FieldOperationQuerySet:
        """Operations active on day ``on`` (half-open: established <= on < closed)."""
        return self.filter(Q(established__lte=on) & (Q(closed__isnull=True) | Q(closed__gt=on)))

    def inactive(self, on: datetime.date) -> FieldOperationQuerySet:
        """Operations not active on day ``on`` (closed by then, or not yet established)."""
        return self.filter(Q(established__gt=on) | Q(closed__lte=on))

    def for_list(self) -> FieldOperationQuerySet:
        """Everything a list (page or API) shows, in a constant number of queries."""
        heads = related_model(self.model, "heads")
        return self.select_related("host_state", "predecessor", "successor").prefetch_related(
            "dimensions",
            "topics",
            Prefetch("heads", queryset=heads.objects.order_by("-started")),
        )

    def for_table(self) -> FieldOperationQuerySet:
        """What ``/missions/``' table shows: the host State and the predecessor, joined (one query)."""
        return self.select_related("host_state", "predecessor")


class ProjectQuerySet(models.QuerySet):
    def for_list(self) -> ProjectQuerySet:
        """Implementer, dimension and pledges (with their States) in a constant number of queries."""
        pledges = related_model(self.model, "pledges")
        return self.select_related("field_operation", "body", "dimension").prefetch_related(
            Prefetch("pledges", queryset=pledges.objects.select_related("state").order_by("date", "id"))
        )

    def for_table(self) -> ProjectQuerySet:
        """What a projects table shows (``missions/_project_table.html``): implementer and dimension
        joined, the pledges' amounts for the pledged sum (two queries)."""
        pledges = related_model(self.model, "pledges")
        return self.select_related("field_operation", "body", "dimension").prefetch_related(
            Prefetch("pledges", queryset=pledges.objects.only("id", "project_id", "amount_eur"))
        )
