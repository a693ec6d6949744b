"""API routes of this app: (prefix, viewset, basename), registered on the one /api/v1/ router."""

from __future__ import annotations

from states.api import views

routes: list[tuple[str, type, str]] = [
    ("states", views.StateViewSet, "state"),
    ("partners", views.PartnerViewSet, "partner"),
    ("dimensions", views.DimensionViewSet, "dimension"),
    ("bodies", views.BodyViewSet, "body"),
    ("chairpersonships", views.ChairpersonshipViewSet, "chairpersonship"),
    ("delegations", views.DelegationViewSet, "delegation"),
]
