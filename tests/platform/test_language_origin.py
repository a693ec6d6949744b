"""The language switcher carries no CSRF token; its POST is refused when the browser says it comes
from another site (``core.origin``): Fetch metadata first, the ``Origin`` header from a browser
without it. Django's CSRF check stays on every other form."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

SWITCH = {"language": "fr", "next": "/states/"}


def switch(headers: dict[str, str]) -> tuple[int, str | None]:
    """POST the switcher's form as a browser would (``headers``): the status, the language set."""
    client = Client(enforce_csrf_checks=True)  # as a real client: no CSRF check skipped
    answer = client.post("/i18n/setlang/", SWITCH, headers=headers)
    cookie = answer.cookies.get("django_language")
    return answer.status_code, cookie.value if cookie else None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},  # the page's own form
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},  # made by the reader (a bookmark, typed), not by a page
        {"Origin": "http://testserver"},  # a browser without Fetch metadata, on this site
        {},  # not a browser (no visitor's browser sends this): a script, curl
    ],
    ids=["same-origin", "same-origin-without-origin", "none", "own-origin", "no-browser"],
)
def test_the_switcher_works_from_this_site(headers: dict[str, str]) -> None:
    assert switch(headers) == (302, "fr")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver"},  # a sibling subdomain
        {"Origin": "https://elsewhere.example"},  # a browser without Fetch metadata, another site
        {"Origin": "null"},  # a sandboxed frame, a data: page
        {"Origin": "https://testserver"},  # another scheme: another origin
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"},  # the browser's word first
    ],
    ids=["cross-site", "alone", "same-site", "other-origin", "null-origin", "other-scheme", "word-first"],
)
def test_a_cross_site_switch_is_refused(headers: dict[str, str], caplog: pytest.LogCaptureFixture) -> None:
    client = Client(enforce_csrf_checks=True)
    answer = client.post("/i18n/setlang/", SWITCH, headers=headers)
    assert answer.status_code == 403
    assert "django_language" not in answer.cookies
    assert any(record.name == "django.security.csrf" for record in caplog.records)


@pytest.mark.django_db
@override_settings(CSRF_TRUSTED_ORIGINS=["https://portal.example", "https://*.osce.example"])
@pytest.mark.parametrize(
    ("origin", "status"),
    [
        ("https://portal.example", 302),
        ("https://www.osce.example", 302),
        ("http://www.osce.example", 403),  # the scheme counts
        ("https://osce.example.evil", 403),
        ("https://portal.example.evil", 403),
    ],
)
def test_trusted_origins_are_trusted_as_django_trusts_them(origin: str, status: int) -> None:
    assert switch({"Sec-Fetch-Site": "cross-site", "Origin": origin})[0] == status


@pytest.mark.django_db
def test_a_get_of_the_switcher_goes_back_and_sets_nothing() -> None:
    answer = Client().get("/i18n/setlang/", {"next": "/states/"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 302 and "django_language" not in answer.cookies


@pytest.mark.django_db
def test_every_other_form_keeps_djangos_csrf_check() -> None:
    """The switcher alone goes without a token: the login form without one is refused."""
    client = Client(enforce_csrf_checks=True)
    answer = client.post(
        "/accounts/login/", {"username": "x", "password": "y"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert answer.status_code == 403
