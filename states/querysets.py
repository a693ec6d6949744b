"""Reads of the organisation's reference data."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Case, Prefetch, Q, Value, When

from core.models import related_model
from states.names import sorted_by_name


class StateQuerySet(models.QuerySet):
    def participating(self, on: datetime.date) -> StateQuerySet:
        """The States participating on day ``on`` (half-open: joined <= on < left)."""
        return self.filter(Q(joined__lte=on) & (Q(left__isnull=True) | Q(left__gt=on)))

    def former(self, on: datetime.date) -> StateQuerySet:
        """The States whose participation ended before day ``on`` (USSR, GDR, ...)."""
        return self.filter(left__lte=on)

    def search(self, text: str, codes: Iterable[str] = ()) -> StateQuerySet:
        """States whose name contains ``text`` or whose code (or ISO alpha-3) is ``text``, or whose
        code is among ``codes`` (those named ``text`` in the reader's language)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(code__iexact=text)
            | Q(iso_alpha3__iexact=text)
            | Q(code__in=list(codes))
        )

    def local_name_order(self) -> Case:
        """An expression that orders States by their names in the page's language (Autriche among the
        A's in French): a CASE over the codes, so the rows still come sorted from the database (one
        query, for the names)."""
        states: Any = self.model._default_manager.only("code", "name")
        codes = [state.code for state in sorted_by_name(states)]
        return Case(
            *(When(code=code, then=Value(i)) for i, code in enumerate(codes)), default=Value(len(codes))
        )

    def with_chairpersonships(self) -> StateQuerySet:
        """Prefetch the chairpersonship years (one query for the whole list)."""
        chairpersonship = related_model(self.model, "chairpersonships")
        return self.prefetch_related(
            Prefetch(
                "chairpersonships", queryset=chairpersonship.objects.order_by("year").only("year", "state")
            )
        )


class DelegationQuerySet(models.QuerySet):
    def with_members(self) -> DelegationQuerySet:
        """Prefetch the diplomats and the bodies each follows (two queries for the whole list)."""
        diplomat = related_model(self.model, "members")
        body = related_model(diplomat, "bodies")
        return self.prefetch_related(
            Prefetch(
                "members",
                queryset=diplomat.objects.prefetch_related(
                    Prefetch("bodies", queryset=body.objects.order_by("name").only("slug", "name"))
                ),
            )
        )
