"""Fixtures shared by every test module: a fixed cast of users and API clients.

The cast (as in healthchecks' tests): ``alice`` works in HR; ``olga`` in ODIHR's election
department; ``bob`` is the focal point of Austria (AT); ``carol`` is the focal point of Germany (DE);
``erin`` is the focal point of Japan (JP), a Partner for Co-operation; ``dave`` is logged in with no
role; ``staff`` maintains the Django admin (staff and superuser, no portal role).
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from rest_framework.test import APIClient

from accounts.services import role_grant, token_create
from states.models import Partner, State

User = get_user_model()


def make_state(
    code: str, name: str, joined: datetime.date = datetime.date(1975, 8, 1), **extra: object
) -> State:
    alpha3 = extra.pop("iso_alpha3", (code + "X")[:3])
    state, _ = State.objects.get_or_create(
        code=code, defaults={"name": name, "iso_alpha3": alpha3, "joined": joined, **extra}
    )
    return state


@pytest.fixture(autouse=True)
def _english_to_start_with() -> Iterator[None]:
    """Each test starts in the default language: a page asked for in French leaves French active
    in the thread (Django's LocaleMiddleware does not switch back), which a later test would see."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def austria(db: None) -> State:
    return make_state("AT", "Austria", iso_alpha3="AUT")


@pytest.fixture
def germany(db: None) -> State:
    return make_state("DE", "Germany", iso_alpha3="DEU")


@pytest.fixture
def private_files(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Uploaded files (CVs, report PDFs) go to a temporary private folder per test, removed after."""
    folder = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def make_pdf(pages: int = 1) -> bytes:
    """A real, readable PDF (blank pages), made with pypdf."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def japan(db: None) -> Partner:
    partner, _ = Partner.objects.get_or_create(
        code="JP", defaults={"name": "Japan", "group": Partner.Group.ASIAN, "since": 1992}
    )
    return partner


def _user(  # type: ignore[no-untyped-def]
    username: str, role: str | None = None, state: str | None = None, partner: str | None = None
):
    if role:
        user, _ = role_grant(username=username, role=role, state_code=state, partner_code=partner)
    else:
        user = User.objects.create(username=username)
    user.set_password("correct horse battery staple")
    user.email = f"{username}@example.org"
    user.save()
    return user


@pytest.fixture
def alice(db: None):  # type: ignore[no-untyped-def]
    """HR."""
    return _user("alice", "hr")


@pytest.fixture
def bob(austria: State):  # type: ignore[no-untyped-def]
    """Focal point of Austria."""
    return _user("bob", "focal-point", "AT")


@pytest.fixture
def carol(germany: State):  # type: ignore[no-untyped-def]
    """Focal point of Germany."""
    return _user("carol", "focal-point", "DE")


@pytest.fixture
def dave(db: None):  # type: ignore[no-untyped-def]
    """Logged in, no role."""
    return _user("dave")


@pytest.fixture
def olga(db: None):  # type: ignore[no-untyped-def]
    """ODIHR election staff."""
    return _user("olga", "odihr")


@pytest.fixture
def erin(japan: Partner):  # type: ignore[no-untyped-def]
    """Focal point of Japan, a Partner for Co-operation."""
    return _user("erin", "focal-point", partner="JP")


@pytest.fixture
def staff(db: None):  # type: ignore[no-untyped-def]
    """Staff and superuser (the Django admin), no portal role."""
    user = _user("staff")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def api() -> APIClient:
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def mirror_on(settings: Any) -> Iterator[None]:
    """The versions' mirror (``core.mirror``) in the real Redis, under a key prefix of the test's
    own (the test settings' default cache is local memory: no mirror). For transactional tests:
    the mirror follows commits."""
    import uuid

    from core import mirror

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"test-mirror-{uuid.uuid4().hex}",
        },
    }
    assert mirror.mirror_cache() is not None
    yield
    mirror.forget()


@pytest.fixture
def wsgi() -> Iterator[Callable[..., Any]]:
    """Requests to the portal's WSGI application as the server makes them (``core.door`` in front
    of Django's handler, both made afresh): ``wsgi("GET", "/api/v1/...", headers={...})``.
    Django's connection recycling on request start and end is off, as the test client has it: it
    would drop the test's transaction."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from bench.capture import wsgi_request
    from core.door import KeptAnswersDoor, store

    store.clear()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    application = KeptAnswersDoor(WSGIHandler())

    def call(method: str, url: str, **kwargs: Any) -> Any:
        return wsgi_request(application, method, url, **kwargs)

    try:
        yield call
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        store.clear()


@pytest.fixture
def api_as() -> Callable[..., APIClient]:
    """``api_as(user)``: an API client sending a fresh bearer token of ``user``."""

    def make(user) -> APIClient:  # type: ignore[no-untyped-def]
        _token, raw = token_create(user=user, name="test")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(live_server):  # type: ignore[no-untyped-def]
    """A Playwright page in Debian's headless Chromium (no browser download), for browser tests.

    Tests using it are marked ``browser``; CI installs Chromium (``.ci/run``).
    """
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(base_url=live_server.url)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """WCAG 2 A/AA violations that axe-core finds on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    return list(results.response["violations"])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give each schemathesis test its own node id.

    schemathesis (4.32) names the test of each operation ``test[GET /api/v1/x/]``, but pytest 9.2
    builds a node id from the function's original name and a ``pytest.mark.parametrize`` id only:
    every operation of one test then shares one id, and pytest-xdist, which sends tests to its
    workers by id, runs only the first of them. The id is rebuilt from the item's full name.
    """
    from _pytest.nodeid import NodeId
    from schemathesis.pytest.plugin import SchemathesisFunction

    for item in items:
        if isinstance(item, SchemathesisFunction) and not item.nodeid.endswith(item.name):
            item._id = NodeId.parse(f"{item.parent.nodeid}::{item.name}")  # type: ignore[union-attr]
