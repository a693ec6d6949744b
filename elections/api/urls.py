"""API routes of this app: (prefix, viewset, basename), registered on the one /api/v1/ router."""

from __future__ import annotations

from elections.api.views import (
    ElectionViewSet,
    ObservationActivityViewSet,
    ObserverOfferViewSet,
    RecommendationViewSet,
)

routes: list[tuple[str, type, str]] = [
    ("elections", ElectionViewSet, "election"),
    ("observation-activities", ObservationActivityViewSet, "observation-activity"),
    ("observer-offers", ObserverOfferViewSet, "observer-offer"),
    ("recommendations", RecommendationViewSet, "recommendation"),
]
