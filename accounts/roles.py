"""The portal's roles: ``hr``, ``odihr`` and ``focal-point`` are groups; a focal point acts for one
participating State or one Partner for Co-operation.

These helpers answer "what is this user"; *what a role may do* is decided by each app's policies
(``<app>/policies.py``), which the services call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accounts.models import FocalPoint

if TYPE_CHECKING:
    from states.models import Partner, State

ROLE_HR = "hr"
ROLE_ODIHR = "odihr"
ROLE_FOCAL_POINT = "focal-point"
ROLES = (ROLE_HR, ROLE_ODIHR, ROLE_FOCAL_POINT)

_CACHE_ATTR = "_portal_roles"


@dataclass(frozen=True)
class UserRoles:
    """A user's role names and, for a focal point, the State or Partner it acts for."""

    names: frozenset[str]
    state: State | None = None
    partner: Partner | None = None


NO_ROLES = UserRoles(frozenset())


def roles_of(user: Any) -> UserRoles:
    """The user's roles, read once per request (two queries at most) and kept on the user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ROLES
    names = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    state = partner = None
    if ROLE_FOCAL_POINT in names:
        link = FocalPoint.objects.select_related("state", "partner").filter(user=user).first()
        if link is not None:
            state, partner = link.state, link.partner
    result = UserRoles(names, state, partner)
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_roles(user: Any) -> None:
    """Drop the per-request cache (after a role change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_hr(user: Any) -> bool:
    return ROLE_HR in roles_of(user).names


def is_odihr(user: Any) -> bool:
    return ROLE_ODIHR in roles_of(user).names


def focal_state(user: Any) -> State | None:
    """The participating State a focal point acts for, or None (also for a Partner's focal point)."""
    return roles_of(user).state


def focal_partner(user: Any) -> Partner | None:
    """The Partner for Co-operation a focal point acts for, or None."""
    return roles_of(user).partner


def is_focal_point(user: Any) -> bool:
    """A focal point of a State or of a Partner."""
    roles = roles_of(user)
    return roles.state is not None or roles.partner is not None
