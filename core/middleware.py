"""Request-level guards."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# Paths that take a PDF upload (a CV, an election observation report: up to 5 MiB) may send
# larger bodies.
UPLOAD_PATH_MARKERS = ("/nominations", "/nominate/", "/reports/")


class BodySizeLimitMiddleware:
    """Answer 413 to a request whose declared body is larger than the portal accepts.

    1 MiB in general, ``MAX_UPLOAD_BODY`` on the paths that take a PDF (nominations' CVs,
    reports). Checked on the Content-Length header before anything reads the body; Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE backs it for bodies without one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": _("Malformed Content-Length header.")}, status=400)
        limit = settings.MAX_REQUEST_BODY
        if any(marker in request.path for marker in UPLOAD_PATH_MARKERS):
            limit = settings.MAX_UPLOAD_BODY
        if length > limit:
            message = _("The request body is too large (at most %(limit)d bytes).") % {"limit": limit}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
