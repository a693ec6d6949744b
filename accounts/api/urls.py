"""API routes of accounts (webhooks land here with the API issue)."""

from __future__ import annotations

routes: list[tuple[str, type, str]] = []
