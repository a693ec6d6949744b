"""Authentication backend that locks a username after too many failed logins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts import services


class LockoutModelBackend(ModelBackend):
    """Django's ModelBackend, refusing a locked username before checking its password.

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
            username = kwargs.get("username")
        if not username:
            return None
        if services.login_locked(username):
            if request is not None:
                request.login_locked = True  # type: ignore[attr-defined]
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            services.login_failed(username)
        else:
            services.login_succeeded(username)
        return user
