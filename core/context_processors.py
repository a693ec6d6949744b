"""Template context every page needs: the user's role, for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.roles import focal_state, is_hr


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_is_hr": False, "user_focal_state": None}
    return {"user_is_hr": is_hr(user), "user_focal_state": focal_state(user)}
