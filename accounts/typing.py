"""Typing helpers for views whose user is known to be logged in."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework.request import Request


def logged_in_user(request: HttpRequest | Request) -> User:
    """``request.user`` where a login is required (login_required, IsAuthenticated)."""
    user = request.user
    assert isinstance(user, User), "this view requires a logged-in user"
    return user
