"""Who may do what with accounts and the audit trail (see docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import is_hr
from core.policies import require


def audit_read(actor: Any) -> None:
    """The audit trail (who did what, logins and CV downloads included): OSCE human resources."""
    require(actor, is_hr(actor), _("Only OSCE human resources read the audit trail."))
