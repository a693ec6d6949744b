"""The API frame every app builds on: pagination, error shapes, field selection, CSV exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponseBase
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, LoginRequired, NotAllowed, NotVisible, PortalError
from core.exports import serializer_csv_response, without_format
from core.formats import csv_requested
from core.policies import require_user
from core.versions import CountedPaginator, count_key


def count_key_of(request: Request, view: Any) -> str | None:
    """A versioned list's (``VersionedETagMixin``) count key, from the tables its ETag names."""
    if getattr(view, "_portal_etag", None) is None:
        return None
    return count_key(request=request, model_list=view.etag_models)


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
    count_key: str | None = None

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        self.export: tuple[QuerySet[Any], Any] | None = None
        if view is not None and csv_requested(request):
            self.request = request
            self.export = (queryset, view)
            return []  # nothing serialized here: the rows are streamed by get_paginated_response
        self.count_key = count_key_of(request, view)
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, *args: Any, **kwargs: Any) -> CountedPaginator:  # type: ignore[override]
        paginator = CountedPaginator(*args, **kwargs)
        paginator.count_key = self.count_key
        return paginator

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


FIELDS_PARAM = "fields"


def _select_related_paths(tree: dict[str, Any], prefix: str = "") -> list[str]:
    """``query.select_related``'s nested dict as ``a__b`` paths (leaves only)."""
    paths: list[str] = []
    for name, below in tree.items():
        path = f"{prefix}{name}"
        paths.extend(_select_related_paths(below, f"{path}__") if below else [path])
    return paths


def narrow_queryset(queryset: QuerySet[Any], relations: set[str] | None) -> QuerySet[Any]:
    """Keep only the joins and prefetches whose first step is in ``relations`` (``None``: keep all).

    A narrow ``?fields=`` request is then a cheap one: no join, no prefetch query for what the
    answer leaves out. Annotations and filters are kept as they are.
    """
    if relations is None:
        return queryset
    joins = queryset.query.select_related
    if isinstance(joins, dict):
        kept = [path for path in _select_related_paths(joins) if path.split("__", 1)[0] in relations]
        queryset = queryset.select_related(None)
        if kept:
            queryset = queryset.select_related(*kept)
    lookups = list(getattr(queryset, "_prefetch_related_lookups", ()))
    if lookups:
        kept_lookups = [
            lookup
            for lookup in lookups
            if (lookup.prefetch_through if isinstance(lookup, Prefetch) else str(lookup)).split("__", 1)[0]
            in relations
        ]
        queryset = queryset.prefetch_related(None)
        if kept_lookups:
            queryset = queryset.prefetch_related(*kept_lookups)
    return queryset


class FieldSelectionMixin:
    """``?fields=a,b`` on every list and detail: the answer holds only those fields, and the
    queryset only the joins and prefetches they need. An unknown name answers 400.

    The selection is ``self.selected_fields`` (a tuple in the order of the serializer, or ``None``)
    and ``context["fields"]`` for a serializer that wants to skip work itself; any serializer is
    trimmed here in any case, so a renderer (JSON or CSV) sees only the fields asked for.

    An extra action that answers a list (``observer-offers``, ``deliveries``) names itself in
    ``field_selection_actions``, declares its ``serializer_class`` and passes its serializer
    through ``select_fields``.

    A write that answers one object (a create, an update, an action such as ``publish``) takes
    ``?fields=`` too: the names are checked in ``initial``, before the handler runs, so a bad
    ``fields`` answers 400 and nothing is written; the answer is trimmed in ``finalize_response``.
    Its names are those of the action's ``serializer_class``: an action answering another
    serializer than the view's declares it (``@action(serializer_class=...)``). A ``DELETE``
    answers no body and ignores it.

    ``field_relations`` maps an API field to the relations it reads (the first step of a
    ``select_related``/``prefetch_related`` path) where its ``source`` does not say it: a method
    field or a model property. A field whose source is a concrete column needs no relation; one
    whose source names a relation needs that relation; any other, undeclared, keeps every join.
    """

    field_relations: dict[str, tuple[str, ...]] = {}
    field_selection_actions: tuple[str, ...] = ("list", "retrieve")
    selected_fields: tuple[str, ...] | None = None

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self.selected_fields = self._parse_fields(request)

    def selects_fields(self, method: str) -> bool:
        """Whether ``?fields=`` applies to this action under ``method``: a read in
        ``field_selection_actions``, or any write but a ``DELETE`` (which answers no body)."""
        if method in ("GET", "HEAD"):
            return getattr(self, "action", None) in self.field_selection_actions
        return method not in ("DELETE", "OPTIONS")

    def _parse_fields(self, request: Any) -> tuple[str, ...] | None:
        if not self.selects_fields(request.method):
            return None
        raw = request.query_params.getlist(FIELDS_PARAM)
        if not raw:
            return None
        asked = [name.strip() for value in raw for name in value.split(",") if name.strip()]
        available = list(self.available_fields())
        unknown = sorted({name for name in asked if name not in available})
        if not asked or unknown:
            names = {
                "unknown": ", ".join(name[:40] for name in unknown[:10]),
                "available": ", ".join(available),
            }
            if unknown:
                message = _("Unknown field(s): %(unknown)s. Available: %(available)s.") % names
            else:
                message = _("Name at least one field. Available: %(available)s.") % names
            raise exceptions.ValidationError({FIELDS_PARAM: [message]})
        return tuple(name for name in available if name in set(asked))

    def available_fields(self) -> tuple[str, ...]:
        """The fields the serializer of this action answers, in its order."""
        serializer = self.get_serializer_class()()  # type: ignore[attr-defined]
        return tuple(serializer.fields)

    def needed_relations(self, fields: tuple[str, ...]) -> set[str] | None:
        """The relations the ``fields`` read, or ``None`` when one of them may read any."""
        serializer = self.get_serializer_class()()  # type: ignore[attr-defined]
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        relations: set[str] = set()
        for name in fields:
            if name in self.field_relations:
                relations.update(self.field_relations[name])
                continue
            source = serializer.fields[name].source
            first = source.split(".", 1)[0]
            if name == "url" or model is None:
                continue
            try:
                field = model._meta.get_field(first)
            except FieldDoesNotExist:  # a property or a method: it may read any relation
                return None
            if field.is_relation:
                relations.add(first)
        return relations

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)  # type: ignore[misc]
        if self.selected_fields is not None and isinstance(queryset, QuerySet):
            queryset = narrow_queryset(queryset, self.needed_relations(self.selected_fields))
        return queryset

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        context["fields"] = self.selected_fields
        return context

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        serializer = super().get_serializer(*args, **kwargs)  # type: ignore[misc]
        if "data" in kwargs:  # a serializer reading input keeps every field it takes
            return serializer
        return self.select_fields(serializer)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        """A write's answer (one object) holds only the fields asked for."""
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        selected = self.selected_fields
        if (
            selected is not None
            and request.method not in SAFE_METHODS
            and 200 <= response.status_code < 300
            and isinstance(getattr(response, "data", None), dict)
        ):
            response.data = {name: value for name, value in response.data.items() if name in selected}
        return response

    def select_fields(self, serializer: Any) -> Any:
        """Trim ``serializer`` (one object or ``many=True``) to the fields asked for; an action
        that builds its own serializer passes it through here."""
        if self.selected_fields is not None:
            target = getattr(serializer, "child", serializer)
            for name in list(target.fields):
                if name not in self.selected_fields:
                    target.fields.pop(name)
        return serializer


class UpperCaseLookupMixin:
    """Codes in addresses are read in any case (contract §5): ``/states/at/`` answers as
    ``/states/AT/``, the same object and the same body, whose ``url`` names the upper-case code."""

    def get_object(self) -> Any:
        key = getattr(self, "lookup_url_kwarg", None) or self.lookup_field  # type: ignore[attr-defined]
        value = self.kwargs.get(key)  # type: ignore[attr-defined]
        if isinstance(value, str):
            self.kwargs[key] = value.upper()  # type: ignore[attr-defined]
        return super().get_object()  # type: ignore[misc]


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
