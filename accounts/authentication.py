"""``Authorization: Bearer <token>`` for the API."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from accounts.models import ApiToken, hash_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Looks the token up by its SHA-256; a revoked, expired or unknown token answers 401; a
    read-only token answers 403 to every write, whatever the view (its scope is the token's, not
    a policy's: the user's rights are unchanged for its other tokens and its session)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid Authorization header: use 'Bearer <token>'."))
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = ApiToken.objects.select_related("user").filter(digest=hash_token(raw)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        now = timezone.now()
        if token.expires is not None and token.expires <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if token.read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(_("This token is read-only: it cannot write."))
        # Record use at most once a minute: no write on every request.
        if token.last_used is None or token.last_used < now - datetime.timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
