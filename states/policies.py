"""Who may do what with the organisation's data (called by ``states.services``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import focal_state
from core.errors import NotVisible
from core.policies import is_system, require, require_user
from states.models import Delegation


def delegation_edit(actor: Any, delegation: Delegation) -> None:
    """A participating State's focal point edits its own State's permanent mission.

    Another State's focal point is told nothing of the page (404); anyone else logged in may not (403).
    """
    if is_system(actor):
        return
    require_user(actor)
    state = focal_state(actor)
    if state is not None and state.code != delegation.state_id:
        raise NotVisible()
    require(actor, state is not None, _("Only the State's focal point may edit its permanent mission."))
