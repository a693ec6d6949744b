"""The one way to write the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from core.models import AuditEntry


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one audit entry for ``action`` on ``target`` by ``actor`` (None for the system).

    Call it inside the service's transaction. ``data`` must hold facts, never personal data.
    """
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,  # type: ignore[misc]
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        data=data or {},
        reason=reason,
    )
