"""Production settings (contract §1) and the Content-Security-Policy.

With ``DEBUG`` off and a real database (or a public host name), ``check --deploy`` has nothing to
say; every page answers with a CSP whose scripts and styles are the portal's own files or carry the
request's nonce, and no page has an inline script, style or style attribute without it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.platform.pages import PAGES, portal_pages

BASE_DIR = settings.BASE_DIR


def _manage(args: list[str], env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "EMAIL_", "SESSION_"))
        # DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests set it in this process; a deployment never has it
        and key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "osce_portal.settings.base",
            "DATABASE_URL": "postgresql://portal@127.0.0.1:1/portal",  # a real database: never reached
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "SECRET_KEY": "k" * 20 + "-production-like-secret-key-of-fifty-chars",
            "ALLOWED_HOSTS": "portal.example.org",
            "DEBUG": "0",
        }
    )
    env.update(env_overrides)
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_prints_nothing_under_production_settings() -> None:
    result = _manage(["check", "--deploy"], {})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout
    assert "WARNING" not in result.stderr.upper(), result.stderr


def test_production_settings_harden_the_transport_and_the_session() -> None:
    probe = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_AGE,"
        " s.MAILERS['default']['BACKEND'], s.MAILERS['default']['OPTIONS']['host'],"
        " s.MAILERS['default']['OPTIONS']['port'])"
    )
    result = _manage(["shell", "-c", probe], {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "True",
        "True",
        "True",
        "True",
        str(8 * 60 * 60),
        "django.core.mail.backends.smtp.EmailBackend",
        "localhost",
        "25",
    ]


def test_production_refuses_the_console_mail_backend_in_one_line() -> None:
    result = _manage(["check"], {"EMAIL_URL": "console://"})
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert "EMAIL_URL" in line


class _Inline(HTMLParser):
    """Collects inline scripts and styles (with their nonce) and style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[tuple[str, str | None]] = []
        self.style_attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes.append(f"<{tag} style={attributes['style']!r}>")
        executable = attributes.get("type") in (None, "", "text/javascript", "module")
        if (tag == "script" and "src" not in attributes and executable) or tag == "style":
            self.inline.append((tag, attributes.get("nonce")))


def _nonce(directives: dict[str, set[str]]) -> str | None:
    for value in directives.get("script-src", set()):
        if value.startswith("'nonce-"):
            return value.removeprefix("'nonce-").removesuffix("'")
    return None


def _directives(policy: str) -> dict[str, set[str]]:
    directives: dict[str, set[str]] = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        directives[name] = set(values)
    return directives


@pytest.mark.django_db
def test_every_page_has_a_csp_and_no_inline_script_or_style_without_its_nonce(
    alice: Any, bob: Any, dave: Any
) -> None:
    data = portal_pages(alice=alice, bob=bob, dave=dave)
    users = get_user_model().objects
    problems: dict[str, list[str]] = {}
    for case in PAGES:
        client = Client()
        if case.who is not None:
            client.force_login(users.get(username=case.who))
        response = client.get(case.address(data))
        assert response.status_code == case.status, case.name
        policy = response.get("Content-Security-Policy", "")
        directives = _directives(policy)
        found: list[str] = []
        nonce = _nonce(directives)
        # The nonce appears in the header when the page used it (Django's LazyNonce).
        allowed = {"'self'", f"'nonce-{nonce}'"} if nonce else {"'self'"}
        for name in ("script-src", "style-src"):
            if directives.get(name) != allowed:
                found.append(f"{name} allows more than the portal's files and the nonce: {policy}")
        for name in ("object-src", "frame-ancestors"):
            if directives.get(name) != {"'none'"}:
                found.append(f"{name} is not 'none': {policy}")
        parser = _Inline()
        parser.feed(response.content.decode())
        for tag, carried in parser.inline:
            if carried is None or carried != nonce:
                found.append(f"inline <{tag}> without the response's nonce")
        found += parser.style_attributes
        if found:
            problems[case.name] = found
    assert not problems, problems


def test_the_nonce_changes_with_every_answer(client: Client, db: None) -> None:
    nonces = set()
    for _ in range(3):
        policy = client.get("/api/v1/docs/").get("Content-Security-Policy", "")
        nonces.update(re.findall(r"'nonce-([^']+)'", policy))
    assert len(nonces) == 3


@pytest.mark.django_db
def test_a_session_ends_with_the_browser_and_after_eight_hours(dave: Any) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "dave", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert client.session.get_expire_at_browser_close()
