"""The page frame: home with live counts, landmarks, skip link, languages."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_has_landmarks_skip_link_and_counts(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html and "<nav" in html
    assert html.count("<h1>") == 1
    assert 'class="card-count"' in html


def test_home_runs_a_constant_number_of_queries(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    # One count per registered app counter (at most 4) and nothing per row.
    with django_assert_max_num_queries(4):
        client.get("/")


def test_language_from_accept_language_and_switcher(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr"' in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="de"' in client.get("/").content.decode()


def test_switcher_offers_the_six_languages(client: Client) -> None:
    html = client.get("/").content.decode()
    for code in ("en", "fr", "de", "it", "ru", "es"):
        assert f'<option value="{code}"' in html
