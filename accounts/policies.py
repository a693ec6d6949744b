"""Who may do what with accounts and the audit trail: one function per action, called by its
service (see docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import is_hr
from core.errors import NotVisible
from core.policies import is_system, require, require_user


def preference_update(actor: Any, user: Any) -> None:
    """A user changes their own preferences (the system may too); another user's are not there."""
    require_user(actor)
    if is_system(actor) or actor.pk == user.pk:
        return
    raise NotVisible()


def audit_read(actor: Any) -> None:
    """The audit trail (who did what, logins and CV downloads included): OSCE human resources."""
    require(actor, is_hr(actor), _("Only OSCE human resources read the audit trail."))
