"""Writes of the states app: a focal point keeps its State's permanent mission up to date."""

from __future__ import annotations

from typing import Any

from core.audit import audit_record
from core.db import atomic_retry
from core.errors import full_clean
from states import policies
from states.models import Delegation


@atomic_retry
def delegation_update(
    *, actor: Any, delegation: Delegation, head_name: str, head_title: str, address: str
) -> Delegation:
    """The State's focal point updates its permanent mission's head, the head's title and the address.

    Rules: only the focal point of the mission's own State (another State's: NotVisible; anyone
    else: NotAllowed); text is trimmed and checked against the model (Invalid). Audited with the
    fields that changed.
    """
    policies.delegation_edit(actor, delegation)
    delegation = Delegation.objects.select_for_update(of=("self",)).get(pk=delegation.pk)
    values = {"head_name": head_name, "head_title": head_title, "address": address}
    changed = {}
    for name, value in values.items():
        value = (value or "").strip()
        if getattr(delegation, name) != value:
            changed[name] = value
            setattr(delegation, name, value)
    full_clean(delegation)
    delegation.save()
    audit_record(actor=actor, action="delegation.updated", target=delegation, data=changed)
    return delegation
