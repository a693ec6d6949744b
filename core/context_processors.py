"""Template context every page needs: the user's roles, for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.roles import ROLE_HR, ROLE_ODIHR, roles_of


def portal(request: HttpRequest) -> dict[str, Any]:
    """``user_is_hr``, ``user_is_odihr``, ``user_focal_state`` (a State's focal point) and
    ``user_nominator`` (the State or Partner a focal point acts for)."""
    roles = roles_of(getattr(request, "user", None))
    return {
        "user_is_hr": ROLE_HR in roles.names,
        "user_is_odihr": ROLE_ODIHR in roles.names,
        "user_focal_state": roles.state,
        "user_nominator": roles.state or roles.partner,
    }
