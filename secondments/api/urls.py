"""API routes of this app: (prefix, viewset, basename), registered on the one /api/v1/ router."""

from __future__ import annotations

from secondments.api.views import NominationViewSet, SecondmentViewSet, VacancyViewSet

routes: list[tuple[str, type, str]] = [
    ("vacancies", VacancyViewSet, "vacancy"),
    ("nominations", NominationViewSet, "nomination"),
    ("secondments", SecondmentViewSet, "secondment"),
]
