"""The portal's own errors: what services and policies raise, known to no web framework.

A service says what went wrong in domain terms; each door maps that once:

- ``Invalid``: the input breaks a rule. API 400; pages show the messages on the form.
- ``LoginRequired``: nobody is logged in and the action needs someone. API 401; pages send to log in.
- ``NotAllowed``: the caller may see the object but not do this. API 403; pages show the 403 page.
- ``NotVisible``: the caller may not even know the object exists. API 404; pages show the 404 page.
- ``Conflict``: the object's state does not allow it (now). API 409; pages show the message (409).

The API maps them in ``core.api.exception_handler``, pages in ``core.pages.PortalErrorMiddleware``
(and ``ServiceFormMixin``/``ServiceActionView`` for forms and buttons).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NON_FIELD = "detail"


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [str(value)]
    return [str(item) for item in value]


class PortalError(Exception):
    """Base of the portal's errors: a message, or messages per field (``{"field": ["..."]}``)."""

    status = 400
    default_message: Any = _("The request is not valid.")

    def __init__(self, message: Any = None, *, errors: Mapping[str, Any] | None = None) -> None:
        self.errors: dict[str, list[str]] = {name: _as_list(value) for name, value in (errors or {}).items()}
        if message is not None:
            self.errors.setdefault(NON_FIELD, []).extend(_as_list(message))
        if not self.errors:
            self.errors[NON_FIELD] = [str(self.default_message)]
        super().__init__(self.message)

    @property
    def messages(self) -> list[str]:
        """Every message, the non-field ones first."""
        ordered = sorted(self.errors.items(), key=lambda item: item[0] != NON_FIELD)
        return [message for _name, messages in ordered for message in messages]

    @property
    def message(self) -> str:
        return " ".join(self.messages)

    def __str__(self) -> str:
        return self.message


class Invalid(PortalError):
    """The input breaks a rule (400): a field's value, or who may be nominated or offered."""

    status = 400

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> Invalid:
        """Django's ``ValidationError`` (from ``full_clean``) in the portal's terms."""
        if hasattr(error, "error_dict"):
            errors = {
                (NON_FIELD if name == "__all__" else name): messages
                for name, messages in error.message_dict.items()
            }
            return cls(errors=errors)
        return cls(error.messages)


class NotAllowed(PortalError):
    """The caller may see the object but may not do this (403)."""

    status = 403
    default_message = _("You may not do this.")


class LoginRequired(NotAllowed):
    """Nobody is logged in and the action needs a user with a role (401; pages ask to log in)."""

    status = 401
    default_message = _("Log in to do this.")


class NotVisible(PortalError):
    """The object does not exist for this caller: another State's nomination is simply not there (404)."""

    status = 404
    default_message = _("Not found.")


class Conflict(PortalError):
    """The request conflicts with the object's current state (409)."""

    status = 409
    default_message = _("The request conflicts with the current state of the object.")


def full_clean(instance: Any, **kwargs: Any) -> None:
    """``instance.full_clean(**kwargs)``, raising ``Invalid`` instead of Django's ``ValidationError``."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise Invalid.from_validation_error(error) from error
