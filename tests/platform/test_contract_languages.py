"""Pages are served in the six official languages (contract §4): the words change, not only `lang`."""

from __future__ import annotations

import pytest
from django.test import Client

HEADINGS = {
    "en": "Participating States",
    "fr": "États participants",
    "de": "Teilnehmerstaaten",
    "it": "Stati partecipanti",
    "ru": "Государства-участники",
    "es": "Estados participantes",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), sorted(HEADINGS.items()))
def test_accept_language_translates_the_page(client: Client, language: str, heading: str) -> None:
    response = client.get("/states/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.django_db
def test_switcher_translates_the_navigation(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/missions/"})
    assert response.status_code == 302
    html = client.get("/missions/").content.decode()
    assert "<h1>Feldoperationen</h1>" in html
    assert "Stellenausschreibungen" in html  # the navigation, from base.html
