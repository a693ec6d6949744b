"""The API frame every app builds on: pagination and error shapes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, LoginRequired, NotAllowed, NotVisible, PortalError
from core.policies import require_user


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but a body nested deeper than Python's decoder goes (``[[[[…``) is a
    400 like any malformed JSON, not a RecursionError and a 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error: the document is nested too deeply.")) from None


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (default 50, at most 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ConflictError(exceptions.APIException):
    """``core.errors.Conflict`` as DRF knows it (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the object."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class PolicyMixin:
    """Ask an action's policy (the very function its service calls) before the body is parsed, so a
    caller without the right gets 401/403/404 whatever it sent, the same answer as from a page.

    ``action_policies``: ``{action: policy(actor)}``, asked once the caller is authenticated;
    ``object_policies``: ``{action: policy(actor, obj)}``, asked when ``get_object`` finds the
    object (after ``visible_to`` scoping, so another State's object is already a 404). Every write
    first needs a logged-in caller (401), as every write service does.
    The service asks again when it runs; nothing here decides anything of its own.
    """

    action_policies: dict[str, Callable[[Any], Any]] = {}
    object_policies: dict[str, Callable[[Any, Any], Any]] = {}

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method not in SAFE_METHODS:
            require_user(request.user)  # every write needs someone: 401 before anything else
        policy = self.action_policies.get(getattr(self, "action", None) or "")
        if policy is not None:
            policy(request.user)

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        policy = self.object_policies.get(getattr(self, "action", None) or "")
        if policy is not None:
            policy(self.request.user, obj)  # type: ignore[attr-defined]
        return obj


def _flatten(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_flatten(item) for item in value)
    if isinstance(value, dict):
        return " ".join(_flatten(item) for item in value.values())
    return str(value)


def _from_portal_error(exc: PortalError, context: dict[str, Any]) -> exceptions.APIException:
    """The one mapping of the portal's errors to API answers (see ``core.errors``)."""
    if isinstance(exc, LoginRequired):
        mapped: exceptions.APIException = exceptions.NotAuthenticated(exc.message)
        view, request = context.get("view"), context.get("request")
        header = view.get_authenticate_header(request) if view is not None and request is not None else None
        if header:
            mapped.auth_header = header  # type: ignore[attr-defined]
        return mapped
    if isinstance(exc, NotAllowed):
        return exceptions.PermissionDenied(exc.message)
    if isinstance(exc, NotVisible):
        return exceptions.NotFound(exc.message)
    if isinstance(exc, Conflict):
        return ConflictError(exc.message)
    return exceptions.ValidationError(exc.errors)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with the contract's shapes.

    The portal's own errors (``core.errors``) map to 400/401/403/404/409. Field errors stay
    ``{"field": ["message"]}``; anything else becomes ``{"detail": "message"}``. Django's own
    ValidationError (a model's ``full_clean``) maps to 400 with the same shape.
    """
    if isinstance(exc, PortalError):
        exc = _from_portal_error(exc, context)
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"detail": exc.messages})
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, list):
        response.data = {"detail": _flatten(data)}
    elif isinstance(data, dict):
        if "non_field_errors" in data:
            data["detail"] = _flatten(data.pop("non_field_errors"))
        elif isinstance(data.get("detail"), list):
            data["detail"] = _flatten(data["detail"])
    return response
