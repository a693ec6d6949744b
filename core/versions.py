"""Cheap validators: a version per table, moved by the database itself on every write.

Every table of the apps in ``VERSIONED_APPS`` carries a statement-level trigger
(``core_version_bump``, installed after each ``migrate``) that gives the table's row of
``core.ResourceVersion`` a new number from one sequence, in the writer's own transaction (a
sequence never gives a number twice, even when the transaction that took it rolls back, so a
version names one state of the table). Whoever writes (a service, the admin, a
reference load, ``generate_demo_data``'s COPY), the version changes exactly when the data does
and becomes visible with it at commit.

Readers read the versions first (one query per request, ``request_versions``), then the rows.
A cache entry or an ETag made from versions ``v`` therefore holds data at least as new as ``v``:
a write committed in between only makes the entry newer than its key, and the next request,
seeing the new version, misses it.

- ``etag(...)``: an API answer's validator from (the versions of the tables it reads, who asks,
  the path and query string, the language, the representation, today's date), so a matching
  ``If-None-Match`` is answered 304 before any row is read (``VersionedETagMixin``).
- ``ReferenceCache``: small reference tables kept in each process and reloaded when their version
  moves, instead of joined into every list statement.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from accounts.roles import roles_of
from core.models import ResourceVersion

# The apps whose every table is versioned (Django's auth too: roles and names live there).
VERSIONED_APPS = ("auth", "accounts", "states", "missions", "secondments", "elections")

FUNCTION = "core_resource_version_bump"
TRIGGER = "core_version_bump"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_resourceversion (name, version)
    VALUES (TG_TABLE_NAME, nextval('core_resourceversion_seq'))
    ON CONFLICT (name) DO UPDATE SET version = nextval('core_resourceversion_seq');
    RETURN NULL;
END
$$;
"""  # noqa: S608 (constants only)


def versioned_tables() -> list[str]:
    """Every table of ``VERSIONED_APPS`` (with many-to-many tables), in a stable order."""
    tables: set[str] = set()
    for label in VERSIONED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables)


def install_triggers(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """``post_migrate``: give every versioned table its trigger (new tables included)."""
    db = connections[using]
    if db.vendor != "postgresql":
        return
    existing = set(db.introspection.table_names())
    with db.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in versioned_tables():
            if table not in existing:
                continue
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {db.ops.quote_name(table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )


# A restore puts the sequence back at the backup's number: the numbers given since would be given
# again to other states, and an ETag, a fragment, a count or a process's reference cache kept under
# one of them would match. ``advance_after_restore`` moves the sequence this far past the backup's
# (at 1,000 writes a second, 35 years of writes) and gives every table a new number.
RESTORE_GAP = 2**40


def advance_after_restore(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """After ``manage.py restore``: no version number given before the restore is given again."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT setval('core_resourceversion_seq', "
            "(SELECT last_value FROM core_resourceversion_seq) + %s)",
            [RESTORE_GAP],
        )
        cursor.execute("UPDATE core_resourceversion SET version = nextval('core_resourceversion_seq')")


def versioned_models() -> list[type[models.Model]]:
    """Every model whose table is versioned (many-to-many tables included): what a fragment keys
    on when it cannot name the tables it reads."""
    return [
        model
        for label in VERSIONED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def read_versions(using: str | None = None) -> dict[str, int]:
    """Every table's version (a table never written yet is absent: version 0). One query, on the
    database the rows will be read from (the replica's versions arrive with its rows), or on
    ``using`` (the versions' mirror reads the primary's)."""
    with connections[using or router.db_for_read(ResourceVersion)].cursor() as cursor:
        cursor.execute("SELECT name, version FROM core_resourceversion")
        return dict(cursor.fetchall())


def request_versions(request: Any) -> dict[str, int]:
    """The versions as this request first saw them: read once, before any row."""
    http_request = getattr(request, "_request", request)
    found = getattr(http_request, "_portal_versions", None)
    if found is None:
        found = read_versions()
        http_request._portal_versions = found
    return found


def table_of(model: type[models.Model]) -> str:
    return model._meta.db_table


def versions_of(versions: dict[str, int], model_list: Iterable[type[models.Model]]) -> tuple[int, ...]:
    return tuple(versions.get(table_of(model), 0) for model in model_list)


def visibility_key(user: Any) -> str:
    """Who asks, as far as what they may see goes: the user, their roles and whom they act for."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    roles = roles_of(user)
    return ":".join(
        (
            str(user.pk),
            ",".join(sorted(roles.names)),
            roles.state.pk if roles.state is not None else "",
            roles.partner.pk if roles.partner is not None else "",
        )
    )


def etag(
    *, request: Any, model_list: Iterable[type[models.Model]], today: datetime.date | None = None
) -> str:
    """A strong ETag for a GET answer reading ``model_list``: keyed (HMAC with the secret key, so
    nobody can forge another caller's) by the tables' versions, the caller's visibility, the full
    path, host, language, representation chosen and today's Vienna date (statuses follow the
    deadline)."""
    return etag_of(
        versions=request_versions(request),
        model_list=model_list,
        visibility=visibility_key(request.user),
        today=today or timezone.localdate(),
        **request_parts(request),
    )


def request_parts(request: Any) -> dict[str, str]:
    """The parts of the request an ETag names (besides the versions, who asks and the date)."""
    return {
        "host": request.get_host(),
        "full_path": request.get_full_path(),
        "language": translation.get_language() or "",
        "media_type": getattr(request, "accepted_media_type", ""),  # JSON, or the browsable API's HTML
    }


def etag_of(
    *,
    versions: dict[str, int],
    model_list: Iterable[type[models.Model]],
    visibility: str,
    host: str,
    full_path: str,
    language: str,
    media_type: str,
    today: datetime.date,
) -> str:
    """``etag`` from its parts (``core.door`` has them before there is a request)."""
    parts = (
        repr(versions_of(versions, model_list)),
        visibility,
        host,
        full_path,
        language,
        media_type,
        today.isoformat(),
    )
    digest = hmac.new(settings.SECRET_KEY.encode(), "\n".join(parts).encode(), hashlib.blake2b)
    return f'"v{digest.hexdigest()[:32]}"'


def role_key(user: Any) -> str:
    """What a page shows differently by who asks: signed in or not, roles, whom one acts for."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    return "signed-in:" + visibility_key(user).partition(":")[2]


def fragment_key(*, request: Any, model_list: Iterable[type[models.Model]]) -> str:
    """The key of a page fragment reading ``model_list`` (``{% cache ... fragment_key %}``): the
    tables' versions, the caller's roles, the query string, the language and today's date."""
    parts = (
        repr(versions_of(request_versions(request), model_list)),
        role_key(request.user),
        request.GET.urlencode(),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
    )
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


class OnMiss[T]:
    """A template context value computed when the template first reads it, then kept.

    Read inside a ``{% cache %}`` fragment, it is computed only on a miss, so the rows behind it
    are read only then. Unlike a flag the view sets after looking the fragment up, it cannot leave
    a fragment empty when the entry expires or is evicted between that look-up and the render.
    (Django's templates call a callable context value without arguments.)
    """

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._done = False
        self._value: T | None = None

    def __call__(self) -> T:
        if not self._done:
            self._value = self._compute()
            self._done = True
        return self._value  # type: ignore[return-value]


# Query parameters that choose the page, the columns or the order, not the rows counted.
_NOT_COUNTED = frozenset({"page", "page_size", "fields", "format", "ordering", "sort"})


def count_key(*, request: Any, model_list: Iterable[type[models.Model]]) -> str:
    """The key of a list's row count: the versions of the tables it reads, who asks (the rows one
    may see), the path, the filters (not the page, nor the columns or order asked for) and today's
    Vienna date (statuses follow the deadline), as the list's ETag."""
    params = request.GET.lists()
    filters = sorted((name, value) for name, value in params if name not in _NOT_COUNTED)
    parts = (
        repr(versions_of(request_versions(request), model_list)),
        visibility_key(request.user),
        request.path,
        repr(filters),
        timezone.localdate().isoformat(),
    )
    return "count:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


class CountedPaginator(Paginator):
    """Django's paginator taking the count from the per-process cache under ``count_key`` when the
    list gave one (so a list's page costs its rows' statement alone while its tables stay), else
    counting as usual. Unlike the rows, a count is the same for every page, column set and order."""

    count_key: str | None = None

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return int(super().count)
        found = caches["fragments"].get(self.count_key)
        if found is None:
            found = int(super().count)
            caches["fragments"].set(self.count_key, found, 3600)
        return int(found)


class NotModified(APIException):
    status_code = status.HTTP_304_NOT_MODIFIED


class VersionedETagMixin:
    """For API views: the ETag from the tables' versions, and 304 before any row is read.

    List it before ``PolicyMixin`` so authentication, throttling and the action's policy run first.
    ``etag_models``: every model whose table the answer reads.
    """

    etag_models: tuple[type[models.Model], ...] = ()

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._portal_etag = None
        if request.method in ("GET", "HEAD") and self.etag_models:
            self._portal_etag = etag(request=request, model_list=self.etag_models)
            sent = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
            if self._portal_etag in sent or "*" in sent:
                raise NotModified()
            if request.method == "GET":
                found = caches[ANSWERS].get(_answer_key(request, self._portal_etag))
                if found is not None:
                    raise KeptAnswer(*found)

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, NotModified):
            return Response(status=status.HTTP_304_NOT_MODIFIED)
        if isinstance(exc, KeptAnswer):
            return HttpResponse(exc.content, headers=exc.headers)
        return super().handle_exception(exc)  # type: ignore[misc]

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        tag = getattr(self, "_portal_etag", None)
        if tag and response.status_code in (200, 304):
            response["ETag"] = tag
            response.door_recipe = self._door_recipe(request)
        if (
            tag
            and request.method == "GET"
            and response.status_code == 200
            and isinstance(response, Response)
            and getattr(getattr(response, "accepted_renderer", None), "format", "") == "json"
        ):
            key = _answer_key(request, tag)

            def keep(rendered: Any) -> None:
                headers = {k: v for k, v in rendered.headers.items() if k not in ("ETag", "Vary", "Allow")}
                caches[ANSWERS].set(key, (rendered.content, headers), 3600)

            response.add_post_render_callback(keep)
        return response

    def _door_recipe(self, request: Any) -> Any:
        """What ``core.door`` needs to answer this request again: for an anonymous JSON answer of
        a view counting the portal's rate limit (or none), the ETag's parts; else None."""
        from core.door import Recipe
        from core.throttling import PortalRateThrottle

        if request.user.is_authenticated or getattr(request, "accepted_media_type", "") != "application/json":
            return None
        throttles = self.get_throttles()  # type: ignore[attr-defined]
        if throttles and [type(throttle) for throttle in throttles] != [PortalRateThrottle]:
            return None
        return Recipe(model_list=tuple(self.etag_models), throttled=bool(throttles), **request_parts(request))


# JSON answers kept per process under their ETag (``VersionedETagMixin``): the ETag names the
# tables' versions, who asks, the URL, the language, the representation and the date, so an answer
# kept under it is the answer to any request that gets that ETag (with the scheme: the answer's
# links are absolute). Only the versions' query runs for a kept answer, after authentication, the
# throttle and the policy, as for any other.
ANSWERS = "answers"


def _answer_key(request: Any, tag: str) -> str:
    return f"answer:{tag}:{request.scheme}"


class KeptAnswer(Exception):
    def __init__(self, content: bytes, headers: dict[str, str]) -> None:
        super().__init__("kept answer")
        self.content = content
        self.headers = headers


class ReferenceCache[T]:
    """A small table's rows kept in this process, reloaded when the table's version moves.

    ``loader()`` reads the rows after the request's versions were read, so what is kept is never
    older than the version it is kept under.
    """

    def __init__(self, model: type[models.Model], loader: Callable[[], T]) -> None:
        self.model = model
        self.loader = loader
        self._lock = threading.Lock()
        self._version: int | None = None
        self._value: T | None = None

    def get(self, versions: dict[str, int]) -> T:
        version = versions.get(table_of(self.model), 0)
        with self._lock:
            if self._version == version and self._value is not None:
                return self._value
        value = self.loader()
        with self._lock:
            self._version, self._value = version, value
        return value
