"""Who may do what with field operations and projects (called by ``missions.services``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import focal_state, is_hr
from core.policies import require
from missions.models import Project
from states.models import State


def pledge_create(actor: Any) -> State:
    """A participating State's focal point pledges its own State's funds; returns that State."""
    state = focal_state(actor)
    require(
        actor, state is not None, _("Only a national focal point may pledge, and only for its own State.")
    )
    assert state is not None
    return state


def hr_only(actor: Any) -> None:
    """Recording a pledge's receipt, an operation's figures, a project: OSCE human resources."""
    require(actor, is_hr(actor), _("Only OSCE human resources may do this."))


def project_manage(actor: Any, project: Project | None = None) -> None:
    """Creating and editing projects (``project``, when editing one): OSCE human resources (projects
    are public: no visibility to check first)."""
    require(actor, is_hr(actor), _("Only OSCE human resources may create and edit projects."))
