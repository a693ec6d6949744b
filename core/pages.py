"""The page side of the portal's errors, and the few view helpers every app's pages share.

``core.errors`` are mapped for pages here, once: ``PortalErrorMiddleware`` turns a refusal that a
view did not handle into the login redirect, the 403 page or the 404 page (an ``Invalid`` or
``Conflict`` a view did not catch into a short page with the message and its status). Form views
catch ``Invalid`` and ``Conflict`` with ``ServiceFormMixin`` so the form shows the message; action
buttons (publish, withdraw, ...) use ``ServiceActionView``, which shows the object's page again
with the message and the error's status.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views import View
from django.views.generic import ListView

from core.errors import NON_FIELD, Conflict, Invalid, LoginRequired, NotAllowed, NotVisible, PortalError
from core.exports import CSVExportMixin
from core.policies import require_user
from core.versions import CountedPaginator, count_key, request_versions


def form_add_error(form: forms.BaseForm, error: PortalError) -> None:
    """Put the error's messages on the form: on their field when the form has it, else on top."""
    for name, texts in error.errors.items():
        field = name if name != NON_FIELD and name in form.fields else None
        for text in texts:
            form.add_error(field, text)


class PortalErrorMiddleware:
    """Maps a ``core.errors`` refusal raised by a page view (pages only: the API maps its own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if not isinstance(exception, PortalError):
            return None
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, NotVisible):
            return render(request, "404.html", status=404)
        if isinstance(exception, NotAllowed):
            return render(request, "403.html", {"message": exception.message}, status=403)
        return render(
            request,
            "error.html",
            {"messages_list": exception.messages, "status": exception.status},
            status=exception.status,
        )


def object_for_action[T: Model](
    request: HttpRequest, queryset: QuerySet[T], policy: Callable[[Any, T], None], **lookup: Any
) -> T:
    """The object a write page acts on, checked before any form is read: someone must be logged in
    (else the login page), then the object must exist (404), then the service's own ``policy``
    decides for this user and object (another State's: 404; no right: 403). The service asks the
    same policy again when it writes: the page only refuses early, with the same answer."""
    require_user(request.user)
    obj = get_object_or_404(queryset, **lookup)
    policy(request.user, obj)
    return obj


class ServiceFormMixin:
    """A form view whose valid form is handed to a service.

    Subclasses implement ``perform(form)`` (call the service, return what it made) and
    ``success(result)`` (usually a redirect). A refusal shows the form again with the message on
    its field, answered 400 (``Invalid``) or 409 (``Conflict``); an invalid form answers 400.
    """

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def success(self, result: Any) -> HttpResponse:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.perform(form)
        except (Invalid, Conflict) as error:
            form_add_error(form, error)
            response = self.form_invalid(form)
            response.status_code = error.status
            return response
        return self.success(result)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 400
        return response


class ServiceActionView(View):
    """A button's POST (publish, close, withdraw, renew...): call the service, then go back.

    ``perform(request, **kwargs)`` calls the service and returns the success message;
    ``redirect_to(**kwargs)`` is where to go afterwards. On ``Invalid``/``Conflict`` the page the
    button was on (``page_view``) is shown again with the message and the error's status, so a
    browser shows why and a client sees 400 or 409.
    """

    page_view: Callable[..., HttpResponseBase]

    def perform(self, request: HttpRequest, **kwargs: Any) -> str:
        raise NotImplementedError

    def redirect_to(self, **kwargs: Any) -> HttpResponse:
        raise NotImplementedError

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        require_user(request.user)  # every write needs someone: log in first, before any lookup
        try:
            message = self.perform(request, **kwargs)
        except (Invalid, Conflict) as error:
            for text in error.messages:
                messages.error(request, text)
            request.method = "GET"
            response = self.page_view(request, **kwargs)
            response.status_code = error.status
            return response
        if message:
            messages.success(request, message)
        return self.redirect_to(**kwargs)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.redirect_to(**kwargs)


class FilteredListView(CSVExportMixin, ListView):
    """Every list page: rows from ``base_queryset()`` through the app's FilterSet (the API's own).

    A bad filter value never shows as an empty list: the page answers 400 with the form's errors
    beside the fields. ``query`` in the context is the current filter without the page number, for
    pagination links (``includes/pagination.html``) and exports. With ``partial_template_name`` set,
    a script asking with ``X-Requested-With: fetch`` gets the results region alone. With
    ``export_serializer_class`` set, ``?format=csv`` answers every row of the current filter as CSV
    (``core.exports.CSVExportMixin``; a bad filter still answers the page with 400).
    """

    filterset_class: type
    paginate_by = 50
    partial_template_name = ""
    # The tables the list's rows come from: when given, the row count is kept per process under
    # their versions (``core.versions.count_key``) instead of counted on every page.
    count_models: tuple[type[Model], ...] = ()

    def get_paginator(self, queryset: Any, per_page: int, *args: Any, **kwargs: Any) -> Paginator:
        paginator = CountedPaginator(queryset, per_page, *args, **kwargs)
        if self.count_models and not self.filter_invalid:
            paginator.count_key = count_key(request=self.request, model_list=self.count_models)
        return paginator

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        base = self.base_queryset()
        self.filterset = self.filterset_class(self.request.GET or None, queryset=base, request=self.request)
        self.filter_invalid = self.filterset.is_bound and not self.filterset.is_valid()
        if self.filter_invalid:
            return base.none()
        return self.filterset.qs

    def get_template_names(self) -> list[str]:
        if self.partial_template_name and self.request.headers.get("X-Requested-With") == "fetch":
            return [self.partial_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query=query.urlencode(), filter_invalid=self.filter_invalid)
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        if self.filter_invalid:
            response.status_code = 400
        if self.partial_template_name:
            patch_vary_headers(response, ["X-Requested-With"])
        return response


def page_cacheable(request: HttpRequest) -> bool:
    """A plain GET by a reader without a session: no session or messages cookie (so nobody signed
    in, no message waiting), no token, no fetch of a page's region, not a CSV export."""
    meta = request.META
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in meta
        and "HTTP_X_REQUESTED_WITH" not in meta
        and "format" not in request.GET
    )


def page_parts(request: HttpRequest, *extra: str) -> tuple[str, ...]:
    """What a kept page's key names besides the versions and the date: what else the view names
    (``page_key_extra``), the scheme, host, URL with its query string and the language."""
    return (
        *extra,
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        translation.get_language() or "",
    )


def page_key_of(versions: dict[str, int], parts: tuple[str, ...], today: datetime.date) -> str:
    """A kept page's key: every versioned table's version (read before any row, as every key
    here), ``page_parts`` and today's Vienna date."""
    parts = (*parts, repr(sorted(versions.items())), today.isoformat())
    return "page:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def page_etag(key: str) -> str:
    """A kept page's weak validator: its key (the versions, the request's parts, the date), so a
    browser revalidating gets 304 until a table changes, without ``ConditionalGetMiddleware``
    hashing the whole body."""
    return f'W/"p{key.removeprefix("page:")}"'


class AnonymousPageCacheMixin:
    """The whole page kept per process for readers without a session, under ``page_key_of``.

    On a miss the page is rendered as always and kept if it is a 200 HTML answer that set no cookie,
    used no CSP nonce and made no CSRF token for its reader (``get_token``: a form with a token is
    that reader's page; the language switcher carries none, ``core.origin``): the same bytes for
    every reader who asks the same. A kept page carries a weak ETag (``page_etag``). A hit reads the
    versions and nothing else. Anyone signed in, a message waiting, a fetch of the results region,
    a CSV export: rendered afresh, as before.
    """

    page_cache_alias = "pages"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not page_cacheable(request):
            return super().get(request, *args, **kwargs)  # type: ignore[misc]
        parts = page_parts(request, *self.page_key_extra())
        key = page_key_of(request_versions(request), parts, timezone.localdate())
        cache = caches[self.page_cache_alias]
        entry = cache.get(key)
        if entry is None:
            response = super().get(request, *args, **kwargs)  # type: ignore[misc]
            if callable(getattr(response, "render", None)):
                response.render()
            if not self._keepable(request, response):
                return response
            entry = (response.status_code, dict(response.headers), response.content)
            cache.set(key, entry, 3600)
        status, headers, content = entry
        response = HttpResponse(content, status=status, headers=headers)
        response["ETag"] = page_etag(key)
        patch_vary_headers(response, ["Cookie"])  # signed in or not, the language cookie: as a render
        # What core.door needs to answer this request again (kept pages only): see KeptPage.
        response.door_page = (parts, key, content)  # type: ignore[attr-defined]
        return response

    def page_key_extra(self) -> tuple[str, ...]:
        """What else than the tables and the request the page shows (its fragments' keys name it)."""
        return ()

    @staticmethod
    def _keepable(request: HttpRequest, response: Any) -> bool:
        return (
            response.status_code == 200
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and not getattr(request, "_csp_nonce", None)  # a LazyNonce is false until it is used
            # A CSRF token made for this reader (get_token), or a new CSRF cookie on its way.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
