"""The OpenAPI description of the API frame: what every operation shares (``fields``, ``format``,
the error answers and their body). Kept apart from ``core.api``, which DRF imports while it loads
(drf-spectacular's AutoSchema imports DRF's generic views: importing it there is a cycle)."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from core.api import FIELDS_PARAM, FieldSelectionMixin

ErrorSerializer = inline_serializer(
    name="Error",
    fields={"detail": serializers.CharField(help_text="What went wrong, for a person to read.")},
)
FieldErrorsSerializer = inline_serializer(
    name="FieldErrors",
    fields={
        "detail": serializers.CharField(required=False, help_text="A message not about one field."),
    },
)

_ERROR_EXAMPLES = {
    400: {"fields": ["Unknown field(s): salary. Available: url, reference, title."]},
    401: {"detail": "Authentication credentials were not provided."},
    403: {"detail": "You do not have permission to perform this action."},
    404: {"detail": "Not found."},
    409: {"detail": "The vacancy is not open for nominations."},
}
_ERROR_TEXTS = {
    400: 'Invalid input: `{"field": ["message"]}` for a field, `{"detail": "message"}` otherwise.',
    401: "No credentials (or an unknown, expired or revoked token).",
    403: "Credentials without the right (or a read-only token writing).",
    404: "Not there, or not there for this caller (another State's object).",
    409: "The request conflicts with the object's state.",
}


def _error(code: int) -> OpenApiResponse:
    return OpenApiResponse(
        response=FieldErrorsSerializer if code == 400 else ErrorSerializer,
        description=_ERROR_TEXTS[code],
        examples=[OpenApiExample(f"HTTP {code}", value=_ERROR_EXAMPLES[code], status_codes=[str(code)])],
    )


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, completed with what the frame adds to every operation.

    - ``fields`` on every list and detail that selects fields (``FieldSelectionMixin``), and on
      every write of such a view that answers an object (creates, updates, actions), with the names
      it takes;
    - ``format`` where a view can also answer CSV (a renderer whose format is ``csv``);
    - the error answers each operation can give, with their body: 400 where input is read (a
      body, a filter, ``fields``), 401 and 403 on writes and on reads that need a login, 404 on an
      object's address, 409 on writes. An operation's own ``extend_schema`` responses win.
    """

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        """An answer's object lists no ``required`` fields where ``?fields=`` may leave any of them
        out: a schema that says "always there" would lie about every narrowed answer."""
        schema: dict[str, Any] = super()._map_basic_serializer(serializer, direction)
        view = self.view
        if (
            direction == "response"
            and isinstance(view, FieldSelectionMixin)
            and view.selects_fields(self.method.upper())
        ):
            schema.pop("required", None)
        return schema

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        view = self.view
        if isinstance(view, FieldSelectionMixin) and view.selects_fields(self.method.upper()):
            try:
                names = ", ".join(f"`{name}`" for name in view.available_fields())
            except Exception:  # a view that cannot build its serializer without a request
                names = ""
            parameters.append(
                OpenApiParameter(
                    FIELDS_PARAM,
                    str,
                    OpenApiParameter.QUERY,
                    description=(
                        "Comma-separated names of the fields to answer (an unknown name answers 400"
                        + ("" if self.method.upper() == "GET" else ", before anything is written")
                        + ")."
                        + (f" Available: {names}." if names else "")
                    ),
                    style="form",
                    explode=False,
                )
            )
        if self._is_list_view() and any(
            getattr(renderer, "format", None) == "csv" for renderer in getattr(view, "renderer_classes", ())
        ):
            parameters.append(
                OpenApiParameter(
                    "format",
                    str,
                    OpenApiParameter.QUERY,
                    enum=["json", "csv"],
                    description="`csv`: every matching row as CSV, streamed (no pagination).",
                )
            )
        return parameters

    def _get_format_parameters(self) -> list[Any]:
        """``format`` chooses a read's representation (JSON or CSV); a write answers JSON, so its
        operations do not offer it."""
        if self.method.upper() != "GET":
            return []
        return list(super()._get_format_parameters())

    def _error_codes(self) -> list[int]:
        method = self.method.upper()
        path_has_object = "{" in self.path
        write = method not in SAFE_METHODS
        codes = [400]
        needs_login = write or bool(
            getattr(self.view, "action_policies", {}).get(getattr(self.view, "action", ""))
        )
        if needs_login or any(
            getattr(p, "__name__", "") == "IsAuthenticated"
            for p in getattr(self.view, "permission_classes", ())
        ):
            codes += [401, 403]
        if path_has_object or self._is_list_view():
            codes.append(404)  # an object not there for this caller; on a list, a page past the end
        if write:
            codes.append(409)
        return codes

    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = set(self._error_codes()) | {
            int(code) for code in responses if code in {"400", "401", "403", "404", "409"}
        }
        for code in sorted(codes):
            given = responses.get(str(code))
            if given is not None and given.get("content"):
                continue  # the operation describes its own body
            answer = _error(code)
            if given is not None and given.get("description"):
                answer.description = given["description"]
            responses[str(code)] = self._get_response_for_code(answer, str(code), direction=direction)
        return responses
