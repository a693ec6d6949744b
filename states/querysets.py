"""Reads of the organisation's reference data."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q


class StateQuerySet(models.QuerySet):
    def participating(self, on: datetime.date) -> StateQuerySet:
        """The States participating on day ``on`` (half-open: joined <= on < left)."""
        return self.filter(Q(joined__lte=on) & (Q(left__isnull=True) | Q(left__gt=on)))
