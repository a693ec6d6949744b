"""API routes of this app: (prefix, viewset, basename), registered on the one /api/v1/ router."""

from __future__ import annotations

routes: list[tuple[str, type, str]] = []
