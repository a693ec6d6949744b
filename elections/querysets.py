"""Reads of election observation: who sees what, and the prefetches that keep lists constant."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.roles import focal_state, is_hr


def _offered_sum(field: str) -> Coalesce:
    """Sum of ``field`` over an activity's offers, as a correlated subquery (no GROUP BY, no
    multiplication by other joins)."""
    from elections.models import ObserverOffer

    total = (
        ObserverOffer.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


class ElectionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ElectionQuerySet:
        """Elections are public."""
        return self.all()

    def upcoming(self, on: datetime.date) -> ElectionQuerySet:
        return self.filter(date__gte=on)

    def with_observation(self) -> ElectionQuerySet:
        """Prefetch what ``observation`` and its API shape need: 4 queries whatever the row count
        (activities with offered sums, reports, recommendations, their rating history)."""
        from elections.models import ObservationActivity

        return self.select_related("state").prefetch_related(
            Prefetch("activities", queryset=ObservationActivity.objects.with_details())
        )

    def with_observation_kind(self, kind: str) -> ElectionQuerySet:
        """Elections whose ``observation`` is of ``kind`` (``none``: elections with no activity).

        A deployed kind matches the election's deployment; ``NAM`` matches an election with a NAM and
        no deployment, as ``observation`` is then the NAM.
        """
        from elections.models import ObservationActivity

        activities = ObservationActivity.objects.filter(election=OuterRef("pk"))
        if kind == "none":
            return self.filter(~Exists(activities))
        if kind == ObservationActivity.Kind.NAM:
            return self.filter(Exists(activities.filter(kind=kind))).filter(
                ~Exists(activities.filter(kind__in=ObservationActivity.DEPLOYED))
            )
        return self.filter(Exists(activities.filter(kind=kind)))


class ObservationActivityQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ObservationActivityQuerySet:
        """Activities and their reports are public."""
        return self.all()

    def with_offered(self) -> ObservationActivityQuerySet:
        return self.annotate(lto_offered=_offered_sum("lto"), sto_offered=_offered_sum("sto"))

    def with_details(self) -> ObservationActivityQuerySet:
        """Offered sums (annotated), the election and its State, reports, recommendations and their
        rating history: 1 query for the activities + 3 prefetches (reports, recommendations,
        assessments)."""
        from elections.models import Recommendation, RecommendationAssessment, Report

        return (
            self.with_offered()
            .select_related("election", "election__state")
            .prefetch_related(
                Prefetch(
                    "reports",
                    queryset=Report.objects.order_by("published", "id").prefetch_related(
                        Prefetch(
                            "recommendations",
                            queryset=Recommendation.objects.select_related("topic").prefetch_related(
                                Prefetch(
                                    "assessments",
                                    queryset=RecommendationAssessment.objects.order_by("assessed_on", "id"),
                                )
                            ),
                        )
                    ),
                )
            )
        )

    def offers_closing_on(self, day: datetime.date) -> ObservationActivityQuerySet:
        """Activities requesting observers whose offers close (deployment opens) on ``day``."""
        return self.filter(opened=day, closed__isnull=True).filter(
            Q(lto_requested__gt=0) | Q(sto_requested__gt=0)
        )


class ObserverOfferQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ObserverOfferQuerySet:
        """HR sees every offer; a focal point its own State's; anyone else none."""
        if is_hr(user):
            return self.all()
        state = focal_state(user)
        if state is not None:
            return self.filter(state=state)
        return self.none()


class RecommendationQuerySet(models.QuerySet):
    def open(self) -> RecommendationQuerySet:
        """Not (yet) fully implemented."""
        return self.exclude(status="fully")

    def of_state(self, state: Any) -> RecommendationQuerySet:
        return self.filter(report__activity__election__state=state)
