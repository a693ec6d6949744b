"""Reads of field operations."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q


class FieldOperationQuerySet(models.QuerySet):
    def active(self, on: datetime.date) -> FieldOperationQuerySet:
        """Operations active on day ``on`` (half-open: established <= on < closed)."""
        return self.filter(Q(established__lte=on) & (Q(closed__isnull=True) | Q(closed__gt=on)))
