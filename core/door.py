"""Anonymous API answers replayed at the WSGI door, validated by the versions' mirror.

An anonymous GET of a versioned API answer (``core.versions.VersionedETagMixin``) is the same
bytes for everybody who sends the same request while the tables it reads stay as they are: its
ETag names those tables' versions, the URL, host, language, representation and date. The door
(``KeptAnswersDoor``, wrapping Django's WSGI handler in ``osce_portal.wsgi``) keeps, per process,
what the full path answered to such a request, the status line, every header the middleware added
and the body, under the request's own parts: method, path, query string, scheme, host, the proxy's
scheme header, and the ``Accept``, ``Accept-Language``, ``Cookie`` and ``X-Requested-With`` headers
(everything the answer can depend on; ``If-None-Match`` apart). With it, the parts of the ETag
that are not versions (its *recipe*, given by the view).

When the same request comes again the door makes the ETag from the recipe and the versions'
mirror (``core.mirror``: one Redis round trip, which also counts the anonymous rate limit), before
Django builds a request:

- the tag the client holds (``If-None-Match``): the full path's 304, with its headers;
- the tag of the answer kept: that answer again, byte for byte;
- anything else (the versions moved, the rate limit reached, no mirror, Redis down): the full
  path, which answers and keeps the new answer. Its throttle takes the door's count, so a request
  is counted once.

A client signed in (a session cookie) or sending credentials (``Authorization``) always takes the
full path, as does every request the full path did not give a recipe for (a write, an error, a
page, an answer with a cookie or a CSP nonce, another representation than JSON, a view with other
throttles). Writes through the portal reach the mirror before they are answered
(``core.mirror``), so nobody who saw a write is answered from the state before it; writes outside
the portal count within ``MIRROR_SECONDS``.

**Pages** kept whole for readers without a session (``core.pages.AnonymousPageCacheMixin``) are
replayed the same way, under the same parts of the request (of its cookies, all but the CSRF
cookie), when the page's key made from the mirror's versions is the one the page was kept under: a
kept page is the same bytes for every reader (no CSRF token in it: ``core.origin``), its weak ETag
the key's. A reader sending a CSRF cookie Django would replace (not a valid secret) takes the full
path, which sets the new one. A browser revalidating (``If-None-Match``, ``If-Modified-Since``)
takes the full path, which answers its 304.

What is kept is bounded (``DOOR_BYTES`` per process, least recently used first out) and never
needs dropping: a kept answer is only ever served when its ETag (a page: its key) is the one the
mirror gives now.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.http import parse_etags

from core import mirror
from core.pages import page_key_of
from core.throttling import COUNTED, PortalRateThrottle
from core.versions import etag_of

logger = logging.getLogger(__name__)

# The request's parts an anonymous answer can depend on, besides method, path, query and cookies.
_HEADERS = (
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_X_REQUESTED_WITH",
)

type Headers = list[tuple[str, str]]
type StartResponse = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Recipe:
    """An ETag's parts other than the versions (``core.versions.etag_of``), given by the view."""

    model_list: tuple[Any, ...]
    host: str
    full_path: str
    language: str
    media_type: str
    throttled: bool  # the view counts the anonymous rate limit (PortalRateThrottle)

    def tag(self, versions: dict[str, int]) -> str:
        return _made_once(_tags, self, versions, self._tag)

    def _tag(self, versions: dict[str, int], today: datetime.date) -> str:
        return etag_of(
            versions=versions,
            model_list=self.model_list,
            visibility="anonymous",
            host=self.host,
            full_path=self.full_path,
            language=self.language,
            media_type=self.media_type,
            today=today,
        )


# A recipe's last tag (a page recipe's last key), by the versions' dict it was made from and the date.
type Made = dict[Any, tuple[dict[str, int], datetime.date, str]]
_tags: Made = {}
_page_keys: Made = {}


def _made_once(made: Made, recipe: Any, versions: dict[str, int], make: Callable[..., str]) -> str:
    """``make(versions, today)``, or what it gave last for ``recipe`` while the mirror is unchanged
    (``core.mirror.read`` answers the same dict then) and the date too."""
    today = _today()
    last = made.get(recipe)
    if last is not None and last[0] is versions and last[1] == today:
        return last[2]
    value = make(versions, today)
    if len(made) >= 4096:
        made.clear()
    made[recipe] = (versions, today, value)
    return value


_day: tuple[int, datetime.date] = (0, datetime.date.min)


def _today() -> datetime.date:
    """Today in Vienna (``timezone.localdate()``), worked out once a second: days change on a whole
    second."""
    global _day
    second = int(time.time())
    if _day[0] != second:
        _day = (second, timezone.localdate())
    return _day[1]


@dataclass(frozen=True, slots=True)
class Kept:
    recipe: Recipe
    tag: str = ""  # the ETag of the kept answer ("": none kept yet)
    status: str = ""
    headers: Headers | None = None
    body: bytes = b""
    not_modified: Headers | None = None  # the full path's 304 headers (its ETag replaced when served)

    @property
    def size(self) -> int:
        return len(self.body) + 2048


@dataclass(frozen=True, slots=True)
class PageRecipe:
    """A kept page's key's parts other than the versions and the date (``core.pages.page_parts``)."""

    parts: tuple[str, ...]

    def key(self, versions: dict[str, int]) -> str:
        return _made_once(_page_keys, self, versions, self._key)

    def _key(self, versions: dict[str, int], today: datetime.date) -> str:
        return page_key_of(versions, self.parts, today)


@dataclass(frozen=True, slots=True)
class KeptPage:
    recipe: PageRecipe
    key: str  # the page's key (``core.pages.page_key_of``) when it was kept
    status: str
    headers: Headers  # the full path's (its ETag the key's)
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + 2048


# Django's own CSRF middleware: whether it would replace the reader's CSRF cookie.
_csrf = CsrfViewMiddleware(lambda request: HttpResponse())


def _csrf_cookie_replaced(environ: dict[str, Any]) -> bool:
    """The reader's CSRF cookie is one Django would replace with a new one (not a valid secret)."""
    if settings.CSRF_COOKIE_NAME not in environ.get("HTTP_COOKIE", ""):
        return False
    request = WSGIRequest(environ)
    _csrf.process_request(request)
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _with_tag(headers: Headers, tag: str) -> Headers:
    return [(name, tag if name == "ETag" else value) for name, value in headers]


class _Store:
    """The kept answers of this process: least recently used out beyond ``DOOR_BYTES``."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[str | None, ...], Kept | KeptPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str | None, ...]) -> Kept | KeptPage | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str | None, ...], kept: Kept | KeptPage) -> None:
        budget = int(getattr(settings, "DOOR_BYTES", 0))
        if kept.size > budget // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._items[key] = kept
            self._bytes += kept.size
            while self._bytes > budget and self._items:
                _key, dropped = self._items.popitem(last=False)
                self._bytes -= dropped.size

    def clear(self, **kwargs: Any) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


store = _Store()
# Settings name what is kept (the cookie names, the proxy, the secret key): a change drops it all.
setting_changed.connect(store.clear, dispatch_uid="core_door_clear")


def _key(environ: dict[str, Any]) -> tuple[str | None, ...] | None:
    """The request's parts, or None when the door cannot answer it."""
    method = environ.get("REQUEST_METHOD")
    path = environ.get("PATH_INFO", "")
    api = path.startswith("/api/")
    if "HTTP_AUTHORIZATION" in environ or method not in (("GET", "HEAD") if api else ("GET",)):
        return None
    cookie = environ.get("HTTP_COOKIE")
    if cookie and f"{settings.SESSION_COOKIE_NAME}=" in cookie:
        return None  # maybe signed in: the full path decides
    if not api and ("HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ):
        return None  # a page revalidated: the full path's 304
    if cookie and settings.CSRF_COOKIE_NAME in cookie:
        # Not a part: an API answer to a GET does not read it, a kept page carries no token (a
        # cookie Django would replace takes the full path: _csrf_cookie_replaced).
        cookies = parse_cookie(cookie)
        cookies.pop(settings.CSRF_COOKIE_NAME, None)
        cookie = repr(sorted(cookies.items())) if cookies else None
    return (
        method,
        environ.get("SCRIPT_NAME", ""),
        path,
        environ.get("QUERY_STRING", ""),
        environ.get("wsgi.url_scheme", "http"),
        cookie,
        *(environ.get(name) for name in _HEADERS),
    )


class _Meta:
    """What DRF's ``get_ident`` reads of a request: its WSGI environ, and its headers by name."""

    __slots__ = ("META",)

    def __init__(self, environ: dict[str, Any]) -> None:
        self.META = environ

    @property
    def headers(self) -> _Meta:
        return self

    def get(self, name: str, default: Any = None) -> Any:
        return self.META.get("HTTP_" + name.upper().replace("-", "_"), default)


def _count(environ: dict[str, Any], recipe: Recipe) -> tuple[tuple[str, int] | None, int | None]:
    """The anonymous counter ``PortalRateThrottle`` would count, and its limit (None, None: not
    counted)."""
    if not recipe.throttled:
        return None, None
    counter = PortalRateThrottle().anonymous_count(_Meta(environ))
    if counter is None:
        return None, None
    key, timeout, limit = counter
    return (key, timeout), limit


def _or_refreshed(versions: dict[str, int] | None, answered: bool) -> dict[str, int] | None:
    """The mirror's versions; expired, made again from the primary. Redis down: None (the full
    path reads the versions itself; the mirror cannot be made again anyway)."""
    if versions is not None or not answered:
        return versions
    return mirror.refresh()


class KeptAnswersDoor:
    """The WSGI application: kept anonymous answers first, Django's handler otherwise."""

    def __init__(self, application: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        key = _key(environ)
        if key is None:
            return self.application(environ, start_response)
        kept = store.get(key)
        if kept is not None:
            try:
                if isinstance(kept, KeptPage):
                    answered = self._page(environ, start_response, kept)
                else:
                    answered = self._answer(environ, start_response, kept)
            except Exception:  # a cache: whatever fails here, the full path answers
                logger.exception("door: the kept answer failed; the full path answers")
                answered = None
            if answered is not None:
                return answered
        return self._full_path(environ, start_response, key, kept)

    @staticmethod
    def _answer(environ: dict[str, Any], start_response: StartResponse, kept: Kept) -> list[bytes] | None:
        counter, limit = _count(environ, kept.recipe)
        versions, seen, answered = mirror.read(count=counter)
        if counter is not None and seen is not None:
            environ[COUNTED] = (counter[0], seen)  # the full path's throttle takes this count
            if limit is not None and seen > limit:
                return None  # the full path answers 429
        versions = _or_refreshed(versions, answered)
        if versions is None:
            return None
        tag = kept.recipe.tag(versions)
        sent = environ.get("HTTP_IF_NONE_MATCH")
        if sent is not None:
            tags = parse_etags(sent)
            if tag in tags or "*" in tags:
                if kept.not_modified is None:
                    return None  # no 304 of this request seen yet: the full path answers it
                start_response("304 Not Modified", _with_tag(kept.not_modified, tag))
                return []
        if tag == kept.tag and kept.headers is not None:
            start_response(kept.status, list(kept.headers))
            return [kept.body]
        return None

    @staticmethod
    def _page(environ: dict[str, Any], start_response: StartResponse, kept: KeptPage) -> list[bytes] | None:
        versions = _or_refreshed(*mirror.read()[::2])
        if versions is None or kept.recipe.key(versions) != kept.key or _csrf_cookie_replaced(environ):
            return None
        start_response(kept.status, list(kept.headers))
        return [kept.body]

    def _full_path(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        key: tuple[str | None, ...],
        kept: Kept | KeptPage | None,
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def recording(status: str, headers: Headers, exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        response = self.application(environ, recording)
        if "status" not in seen or getattr(response, "streaming", True):
            return response
        status: str = seen["status"]
        headers: Headers = list(seen["headers"])
        if any(name == "Set-Cookie" or "nonce-" in value for name, value in headers):
            return response  # this reader's own answer
        page = getattr(response, "door_page", None)
        if page is not None:  # a kept page (core.pages.AnonymousPageCacheMixin)
            parts, page_key, content = page
            if status.startswith("200 "):
                store.put(key, KeptPage(PageRecipe(parts), page_key, status, headers, content))
            return response
        recipe = getattr(response, "door_recipe", None)
        if recipe is None:
            return response
        tag = dict(headers).get("ETag", "")
        if not isinstance(kept, Kept) or kept.recipe != recipe:
            kept = Kept(recipe=recipe)
        if status.startswith("200 ") and tag:
            kept = Kept(recipe, tag, status, headers, bytes(response.content), kept.not_modified)  # type: ignore[attr-defined]
        elif status.startswith("304 ") and tag:
            kept = Kept(recipe, kept.tag, kept.status, kept.headers, kept.body, headers)
        else:
            return response
        store.put(key, kept)
        return response
