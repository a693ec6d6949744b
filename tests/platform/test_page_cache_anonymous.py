"""Whole pages kept for readers without a session (``core.pages.AnonymousPageCacheMixin``):
``/vacancies/``, ``/missions/`` and ``/missions/<slug>/``.

A kept page is the page a fresh render gives, with the reader's own CSRF token; it changes the
moment any table does; anyone signed in, or with a message waiting, gets a fresh render.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.test import Client, RequestFactory

from missions.models import FieldOperation
from secondments.models import Vacancy
from tests.secondments.factories import VacancyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_page_caches")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def pages(operation: FieldOperation) -> list[str]:
    return ["/vacancies/", "/missions/", operation.get_absolute_url()]


def without_tokens(html: bytes) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html.decode())


def test_a_kept_page_is_the_fresh_page_with_the_readers_own_token(
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
        assert without_tokens(kept.content) == without_tokens(again.content) == without_tokens(fresh.content)
        tokens = TOKEN.findall(kept.content.decode())
        assert tokens and all(len(token) == 64 for token in tokens), url  # a real masked token
        assert "csrftoken" in kept.cookies  # the CSRF cookie, as a fresh render sets it
        assert TOKEN.findall(Client().get(url).content.decode())[0] != tokens[0]  # a fresh mask each time


def test_the_token_of_a_kept_page_is_accepted(operation: FieldOperation) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/vacancies/")
    kept = client.get("/vacancies/")  # from the cache
    token = TOKEN.findall(kept.content.decode())[0]
    answer = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/vacancies/", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302


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
    # The page it keeps still works: its token (another mask of the same secret) is accepted.
    token = TOKEN.findall(first.content.decode())[0]
    answer = browser.post(
        "/i18n/setlang/", {"language": "en", "next": "/vacancies/", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302
    # Another reader (another CSRF secret) does not share the tag.
    assert Client().get("/vacancies/", headers={"If-None-Match": tag}).status_code == 200
    # A write: a new tag.
    Vacancy.objects.update(title="Renamed Officer")
    changed = browser.get("/vacancies/", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert "Renamed Officer" in changed.content.decode()
