"""The language switcher's protection against cross-site requests: the browser's word, not a token.

Every form of the portal carries Django's CSRF token (its secret in the CSRF cookie), but one: the
language switcher (``set_language``), on every page, the only form a reader without a session
meets. With a token in it, each public page would be a page of its own for each reader (a new
secret for a reader without the cookie, a new mask each time): no page could be the same bytes
for everybody, kept once for all (``core.pages``, ``core.door``), and the token's randomness alone
cost a kept page more than everything else it does. Choosing a language changes nothing but the
reader's own language cookie.

So its POST is refused when the browser says it comes from another site: Fetch metadata
(``Sec-Fetch-Site``, which a page cannot set) and, from a browser without it, the ``Origin``
header, which every browser sends with a form's POST, compared as Django's CSRF check compares it
(the request's own scheme and host, or ``CSRF_TRUSTED_ORIGINS``). OWASP's CSRF cheat sheet lists
Fetch metadata as a defence of its own. A request with neither header does not come from a
browser, so no visitor's browser can be made to send it. A refusal is the CSRF failure page (403),
logged as Django logs a CSRF failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import is_same_domain
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("django.security.csrf")

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# Sec-Fetch-Site values of a request the reader made on this site, or by hand (a bookmark, typed).
OWN = ("same-origin", "none")
REASON = "Cross-site request: the browser says it does not come from this site."


def trusted_origin(request: HttpRequest, origin: str, *, own: bool = True) -> bool:
    """``origin`` is the request's own (its scheme and host; unless ``own`` is false) or one of
    ``CSRF_TRUSTED_ORIGINS`` (exact, or ``https://*.example.org`` for its subdomains), read as
    Django's CSRF middleware reads them (a new one: the settings as they are now)."""
    if own:
        try:
            if origin == f"{'https' if request.is_secure() else 'http'}://{request.get_host()}":
                return True
        except DisallowedHost:
            pass
    django = CsrfViewMiddleware(lambda request: HttpResponse())
    if origin in django.allowed_origins_exact:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return any(is_same_domain(parts.netloc, host) for host in django.allowed_origin_subdomains[parts.scheme])


def cross_site(request: HttpRequest) -> bool:
    """The browser says this request comes from another site."""
    site = request.META.get("HTTP_SEC_FETCH_SITE")
    if site in OWN:
        return False
    origin = request.META.get("HTTP_ORIGIN")
    if site is not None:  # the browser names another site: only a trusted origin passes
        return origin is None or not trusted_origin(request, origin, own=False)
    if origin is None:
        return False  # neither header: not a browser, so no visitor's browser sent it
    return not trusted_origin(request, origin)


def same_origin_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """``view`` without Django's CSRF token, its unsafe requests refused when ``cross_site``."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in SAFE_METHODS and cross_site(request):
            extra = {"status_code": 403, "request": request}
            logger.warning("Forbidden (%s): %s", REASON, request.path, extra=extra)
            failure: Callable[..., HttpResponseBase] = import_string(settings.CSRF_FAILURE_VIEW)
            return failure(request, reason=REASON)
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)
