"""Request-level guards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


def upload_route[V: Callable[..., Any]](view: V) -> V:
    """Mark a page view (what ``as_view()`` returns) as one that takes a PDF upload: a multipart POST
    to it may carry up to ``MAX_UPLOAD_BODY``. An API viewset names its upload actions instead, in
    ``upload_actions``."""
    view.accepts_uploads = True  # type: ignore[attr-defined]
    return view


def accepts_uploads(view: Callable[..., Any], request: HttpRequest) -> bool:
    """Whether this request, to this view, may carry a file: a multipart POST to an upload route."""
    if request.method != "POST" or request.content_type != "multipart/form-data":
        return False
    actions = getattr(view, "actions", None)
    if actions is not None:  # a DRF viewset's route: the action that this method runs
        return actions.get("post") in getattr(getattr(view, "cls", None), "upload_actions", ())
    return bool(getattr(view, "accepts_uploads", False))


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("The request body is too large (at most %(limit)d bytes).") % {"limit": limit}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class BodySizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than the portal accepts.

    1 MiB in general; ``MAX_UPLOAD_BODY`` only for a multipart POST to a route that takes a PDF (a
    nomination's CV, an election observation report: ``upload_route`` and ``upload_actions``).
    Checked on the Content-Length header before anything reads the body (``process_view`` runs
    before the CSRF check reads a form); Django's DATA_UPLOAD_MAX_MEMORY_SIZE backs it for bodies
    without one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _length(request: HttpRequest) -> int | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        return length if length >= 0 else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = self._length(request)
        if length is None:
            return JsonResponse({"detail": _("Malformed Content-Length header.")}, status=400)
        if length > settings.MAX_UPLOAD_BODY:  # more than any route takes
            return _too_large(request, settings.MAX_REQUEST_BODY)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        length = self._length(request) or 0
        if accepts_uploads(view, request):
            return (
                _too_large(request, settings.MAX_UPLOAD_BODY) if length > settings.MAX_UPLOAD_BODY else None
            )
        if length > settings.MAX_REQUEST_BODY:
            return _too_large(request, settings.MAX_REQUEST_BODY)
        return None
