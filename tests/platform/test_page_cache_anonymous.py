"""Whole pages kept for readers without a session (``core.pages.AnonymousPageCacheMixin``):
``/vacancies/``, ``/missions/`` and ``/missions/<slug>/``.

A kept page is the page a fresh render gives, the same bytes for every reader (no CSRF token in
it: the language switcher needs none, ``core.origin``); it changes the moment any table does;
anyone signed in, or with a message waiting, gets a fresh render; a page that made a CSRF token for
its reader is never kept.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from missions.models import FieldOperation
from missions.views import FieldOperationListView
from secondments.models import Vacancy
from tests.secondments.factories import VacancyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_page_caches")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}  # what a browser sends with the page's own form


def kept_pages() -> int:
    return len(caches["pages"]._cache)  # type: ignore[attr-defined]  # a LocMemCache (settings)


def pages(operation: FieldOperation) -> list[str]:
    return ["/vacancies/", "/missions/", operation.get_absolute_url()]


def test_a_kept_page_is_the_fresh_page_for_every_reader(
    operation: FieldOperation, django_assert_num_queries: Any
) -> None:
    for url in pages(operation):
        fresh = Client().get(url)  # a miss: rendered, then kept
        with django_assert_num_queries(1):  # the versions: no row is read
            kept = Client().get(url)
        assert fresh.status_code == kept.status_code == 200, url
        caches["pages"].clear()
        caches["fragments"].clear()
        again = Client().get(url)  # rendered afresh
        assert kept.content == again.content == fresh.content, url
        assert not TOKEN.findall(kept.content.decode()), url  # nothing of one reader in it
        assert not kept.cookies and not fresh.cookies, url  # no CSRF cookie either
        assert "Cookie" in kept["Vary"] and "Cookie" in fresh["Vary"], url  # signed in or not, its language


def test_the_language_switcher_of_a_kept_page_needs_no_token(operation: FieldOperation) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/vacancies/")
    kept = client.get("/vacancies/")  # from the cache
    html = kept.content.decode()
    assert 'action="/i18n/setlang/" method="post"' in html
    answer = client.post("/i18n/setlang/", {"language": "fr", "next": "/vacancies/"}, headers=SAME_ORIGIN)
    assert answer.status_code == 302 and answer["Location"] == "/vacancies/"
    assert '<html lang="fr"' in client.get("/vacancies/").content.decode()


def test_a_page_that_made_a_token_for_its_reader_is_never_kept(
    operation: FieldOperation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form with a CSRF token on a kept page (as ``{% csrf_token %}`` makes it): each reader
    gets its own token and cookie, and nobody another's."""
    context_data = FieldOperationListView.get_context_data

    def with_token(self: Any, **kwargs: Any) -> dict[str, Any]:
        get_token(self.request)
        return context_data(self, **kwargs)

    monkeypatch.setattr(FieldOperationListView, "get_context_data", with_token)
    first, second = Client().get("/missions/"), Client().get("/missions/")
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert kept_pages() == 0
    # A reader whose CSRF cookie Django replaces (not a valid secret): its page is not kept either.
    monkeypatch.setattr(FieldOperationListView, "get_context_data", context_data)
    client = Client()
    client.cookies["csrftoken"] = "not-a-secret"
    replaced = client.get("/vacancies/")
    assert replaced.status_code == 200 and replaced.cookies["csrftoken"].value != "not-a-secret"
    assert kept_pages() == 0


def test_a_write_shows_on_the_next_request(operation: FieldOperation) -> None:
    for url in pages(operation):
        Client().get(url)
    Vacancy.objects.update(title="Renamed Officer")  # a bulk update: no signal, only the version
    FieldOperation.objects.filter(pk=operation.pk).update(name="Mission to Renamedland")
    assert "Renamed Officer" in Client().get("/vacancies/").content.decode()
    assert "Mission to Renamedland" in Client().get("/missions/").content.decode()
    assert "Mission to Renamedland" in Client().get(operation.get_absolute_url()).content.decode()


def test_each_language_and_query_its_own_page(operation: FieldOperation) -> None:
    english = Client().get("/vacancies/")
    french = Client(headers={"Accept-Language": "fr"}).get("/vacancies/")
    assert '<html lang="en"' in english.content.decode()
    assert '<html lang="fr"' in french.content.decode()
    assert '<html lang="en"' in Client().get("/vacancies/").content.decode()
    assert Client().get("/vacancies/?grade=P5").content != english.content


def test_someone_signed_in_gets_their_own_page(operation: FieldOperation, alice: Any) -> None:
    VacancyFactory(title="Hidden Draft", status="draft", published=None)
    anonymous = Client().get("/vacancies/?status=draft")
    assert "Hidden Draft" not in anonymous.content.decode()
    hr = Client()
    hr.force_login(alice)
    assert "Hidden Draft" in hr.get("/vacancies/?status=draft").content.decode()
    assert "Hidden Draft" not in Client().get("/vacancies/?status=draft").content.decode()


def test_a_waiting_message_is_shown_not_a_kept_page(operation: FieldOperation) -> None:
    Client().get("/vacancies/")  # kept
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    response = Client().get("/")
    storage.add(messages.SUCCESS, "Signed out: see you soon")
    storage.update(response)
    client = Client()
    client.cookies[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value
    assert "Signed out: see you soon" in client.get("/vacancies/").content.decode()


def test_a_script_fetching_the_results_gets_them_alone(operation: FieldOperation) -> None:
    page = Client().get("/missions/")
    partial = Client().get("/missions/", headers={"X-Requested-With": "fetch"})
    assert b"<html" in page.content and b"<html" not in partial.content


def test_a_browser_revalidating_a_kept_page_gets_304_until_something_changes(
    operation: FieldOperation,
) -> None:
    browser = Client(enforce_csrf_checks=True)  # keeps its cookies, as a browser does
    first = browser.get("/vacancies/")
    tag = first["ETag"]
    assert tag.startswith('W/"')
    again = browser.get("/vacancies/", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again["ETag"] == tag
    # The page it keeps still works: its language switcher.
    answer = browser.post("/i18n/setlang/", {"language": "en", "next": "/vacancies/"}, headers=SAME_ORIGIN)
    assert answer.status_code == 302
    # Another reader gets the same page, so the same tag.
    assert Client().get("/vacancies/", headers={"If-None-Match": tag}).status_code == 304
    # A write: a new tag.
    Vacancy.objects.update(title="Renamed Officer")
    changed = browser.get("/vacancies/", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert "Renamed Officer" in changed.content.decode()
