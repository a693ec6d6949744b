"""The portal's roles: ``hr`` and ``focal-point`` are groups; a focal point acts for one State.

Every permission check in the portal goes through these helpers (or the DRF permissions built on
them), so "who may do what" is answered in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from states.models import State

ROLE_HR = "hr"
ROLE_FOCAL_POINT = "focal-point"
ROLES = (ROLE_HR, ROLE_FOCAL_POINT)

_CACHE_ATTR = "_portal_roles"


def _roles(user: Any) -> tuple[set[str], State | None]:
    """The user's role names and focal-point State, read once per request and kept on the user."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        result: tuple[set[str], State | None] = (set(), None)
    else:
        from accounts.models import FocalPoint

        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        state = None
        if ROLE_FOCAL_POINT in names:
            link = FocalPoint.objects.select_related("state").filter(user=user).first()
            state = link.state if link else None
        result = (names, state)
    try:
        setattr(user, _CACHE_ATTR, result)
    except AttributeError:  # pragma: no cover - AnonymousUser is a plain object, this is defensive
        pass
    return result


def forget_roles(user: Any) -> None:
    """Drop the per-request cache (after a role change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_hr(user: Any) -> bool:
    return ROLE_HR in _roles(user)[0]


def focal_state(user: Any) -> State | None:
    """The State a focal point acts for, or None for anyone else."""
    return _roles(user)[1]


def is_focal_point(user: Any) -> bool:
    return focal_state(user) is not None
