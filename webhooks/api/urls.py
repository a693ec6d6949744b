"""API routes of webhooks."""

from __future__ import annotations

from webhooks.api.views import WebhookViewSet

routes: list[tuple[str, type, str]] = [("webhooks", WebhookViewSet, "webhook")]
