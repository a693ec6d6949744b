"""API routes of this app: (prefix, viewset, basename), registered on the one /api/v1/ router."""

from __future__ import annotations

from missions.api.views import FieldOperationViewSet, ProjectViewSet

routes: list[tuple[str, type, str]] = [
    ("field-operations", FieldOperationViewSet, "field-operation"),
    ("projects", ProjectViewSet, "project"),
]
