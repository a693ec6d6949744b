"""Authentication backend that locks a username after too many failed logins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts import services


class LockoutModelBackend(ModelBackend):
    """Django's ModelBackend, counting each attempt before the password check and refusing a
    locked username without checking its password.

    Used by the login page and the admin alike. PermissionDenied stops Django from trying other
    backends, so a locked username cannot log in even with the right password.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        attempt = services.login_attempt_start(username=username)
        if attempt is None:
            if request is not None:
                request.login_locked = True  # type: ignore[attr-defined]
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            services.login_failed(username=username, attempt=attempt)
        else:
            services.login_succeeded(user=user)
        return user
