"""Request-level guards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings

from core import mirror
from core.throttling import PortalRateThrottle
from core.versions import etag_of


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


# (URLconf, path) -> (its view's etag_models, its Allow header): resolving costs more than the rest
# of an early 304.
_routes: dict[tuple[str, str], tuple[tuple[Any, ...], str]] = {}


class EarlyNotModifiedMiddleware:
    """An anonymous API GET whose ``If-None-Match`` names the answer's current ETag: 304 at once.

    The full path answers that 304 too (``core.versions.VersionedETagMixin``), after sessions,
    CSRF, authentication, DRF's request, the throttle and the versions' query. Here, placed right
    after the security and CSP middleware (the language, which the ETag names, picked as
    ``LocaleMiddleware`` picks it), the same ETag is made from the versions' mirror in Redis
    (``core.mirror``: one round trip that also counts the anonymous rate limit) and compared;
    anything else takes the full path, unchanged: a client signed in or sending a token
    (its ETag names who it is), another representation than JSON, a route without versioned
    answers, no mirror, the rate limit reached, a tag that does not match.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in ("GET", "HEAD")
            and "HTTP_IF_NONE_MATCH" in request.META
            and request.path_info.startswith("/api/")
        ):
            response = self._not_modified(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _not_modified(request: HttpRequest) -> HttpResponse | None:
        meta = request.META
        if "HTTP_AUTHORIZATION" in meta or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        # DRF answers JSON for these (its first renderer); the ETag names the representation.
        if meta.get("HTTP_ACCEPT", "*/*").strip() not in ("*/*", "application/json"):
            return None
        if "format" in request.GET:
            return None
        route = (settings.ROOT_URLCONF, request.path_info)
        found = _routes.get(route)
        if found is None:
            try:
                view_class = getattr(resolve(request.path_info).func, "cls", None)
            except Resolver404:
                view_class = None
            model_list = getattr(view_class, "etag_models", ())
            allow = ", ".join(view_class().allowed_methods) if view_class and model_list else ""
            if len(_routes) >= 4096:
                _routes.clear()
            found = _routes[route] = (model_list, allow)
        model_list, allow = found
        first_renderer = api_settings.DEFAULT_RENDERER_CLASSES[0]
        if not model_list or getattr(first_renderer, "media_type", "") != "application/json":
            return None
        throttle = PortalRateThrottle()
        count = throttle.anonymous_count(request)
        versions, seen = mirror.read(count=count[:2] if count else None)
        if count is not None and seen is not None and seen > count[2]:
            return None  # the full path answers 429
        if versions is None:
            versions = mirror.refresh()  # expired: made again from the primary (None: no mirror)
            if versions is None:
                return None
        # As LocaleMiddleware picks it (this runs before it: the language is not active yet).
        language = translation.get_language_from_request(
            request, check_path=is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]
        )
        try:
            host = request.get_host()
        except Exception:  # DisallowedHost: the full path answers 400
            return None
        tag = etag_of(
            versions=versions,
            model_list=model_list,
            visibility="anonymous",
            host=host,
            full_path=request.get_full_path(),
            language=language,
            media_type="application/json",
            today=timezone.localdate(),
        )
        if tag not in parse_etags(meta["HTTP_IF_NONE_MATCH"]):
            return None
        response = HttpResponse(status=304)
        response["ETag"] = tag
        # As the full path's 304: DRF's headers, then what the middleware below this one adds on
        # the way out (LocaleMiddleware: Content-Language and Vary; XFrameOptionsMiddleware).
        response["Vary"] = "Accept, Cookie, Accept-Language"
        response["Allow"] = allow
        response["X-Frame-Options"] = "DENY"
        response["Content-Language"] = language
        return response
