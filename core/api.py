"""The API frame every app builds on: pagination, error shapes, CSV exports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponseBase
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, LoginRequired, NotAllowed, NotVisible, PortalError
from core.exports import csv_lines, serializer_csv_response, without_format
from core.policies import require_user


class CSVRenderer(BaseRenderer):
    """``text/csv``, chosen by ``?format=csv`` or ``Accept: text/csv`` on any endpoint.

    A list never gets here: ``Pagination`` streams every matching row instead of a page. What does
    (an object, an action's answer) is written as one row per object, its fields as columns.
    Errors are never CSV: ``exception_handler`` answers them as JSON.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        records = [
            record for record in (data if isinstance(data, list) else [data]) if isinstance(record, Mapping)
        ]
        columns = list(dict.fromkeys(name for record in records for name in record))
        return "".join(csv_lines(columns, records)).encode()


def csv_requested(request: Request) -> bool:
    """Whether content negotiation chose the CSV renderer for this request."""
    return getattr(getattr(request, "accepted_renderer", None), "format", None) == CSVRenderer.format


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (default 50, at most 200).

    With CSV asked for (``?format=csv``, ``Accept: text/csv``) there are no pages: every matching
    row is streamed (``core.exports``), in the representation of the view's serializer (so
    ``?fields=`` chooses the columns), from the very queryset the view filtered and scoped. This is
    the one place every list endpoint passes through, its own actions' lists included, so no
    viewset needs anything of its own for exports.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        self.export: tuple[QuerySet[Any], Any] | None = None
        if view is not None and csv_requested(request):
            self.request = request
            self.export = (queryset, view)
            return []  # nothing serialized here: the rows are streamed by get_paginated_response
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Any:
        if getattr(self, "export", None) is not None:
            queryset, view = self.export  # type: ignore[misc]
            serializer = view.get_serializer()
            serializer.context["request"] = without_format(serializer.context["request"])
            response: HttpResponseBase = serializer_csv_response(
                serializer=serializer, queryset=queryset, request=self.request
            )
            return response
        return super().get_paginated_response(data)


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
    request = context.get("request")
    if request is not None and csv_requested(request):
        # An error is never CSV: a client that asked for CSV gets the contract's JSON error.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    data = response.data
    if isinstance(data, list):
        response.data = {"detail": _flatten(data)}
    elif isinstance(data, dict):
        if "non_field_errors" in data:
            data["detail"] = _flatten(data.pop("non_field_errors"))
        elif isinstance(data.get("detail"), list):
            data["detail"] = _flatten(data["detail"])
    return response


def schema_csv_hook(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing: a ``text/csv`` answer is CSV text (not the JSON page the
    renderer list would suggest), and the ``format`` parameter that chooses it is documented."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            csv_answers = [
                answer
                for answer in operation.get("responses", {}).values()
                if "text/csv" in answer.get("content", {})
            ]
            for answer in csv_answers:
                answer["content"]["text/csv"] = {
                    "schema": {
                        "type": "string",
                        "description": (
                            "CSV (RFC 4180, UTF-8): one header row of field names (a nested object's "
                            "fields as parent.child, lists as JSON text), then one row per object; "
                            "a list gives every matching row, unpaginated."
                        ),
                    }
                }
            if method == "get" and csv_answers:
                parameters = operation.setdefault("parameters", [])
                if not any(parameter.get("name") == "format" for parameter in parameters):
                    parameters.append(
                        {
                            "in": "query",
                            "name": "format",
                            "schema": {"type": "string", "enum": ["json", "csv"]},
                            "description": (
                                "`csv`: the answer as CSV (as `Accept: text/csv`); a list streams every row."
                            ),
                        }
                    )
    return result
