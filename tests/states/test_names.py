"""Names of States, Partners and languages in the reader's language (CONTRACT §4, issue 11 part 4)."""

from __future__ import annotations

import re

from django.test import Client
from django.utils import translation

from states import names
from states.models import State


def _state_names(page: str) -> list[str]:
    """The States' names in the order the list shows them (the first table's first column)."""
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = re.findall(r'<td><a href="/states/[A-Z]+/">(.*?)</a></td>', table)
    return [re.sub(r"<[^>]+>", "", cell) for cell in cells]


def test_states_in_french_are_named_and_sorted_in_french(reference: str, client: Client) -> None:
    page = client.get("/states/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    shown = _state_names(page)
    assert "Autriche" in shown and "Austria" not in shown
    assert "Allemagne" in shown  # Germany, among the A's in French
    assert shown == sorted(shown, key=names.sort_key)
    assert shown.index("Allemagne") < shown.index("Autriche") < shown.index("Belgique")


def test_english_keeps_the_reference_s_official_names(reference: str, client: Client) -> None:
    shown = _state_names(client.get("/states/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Austria" in shown and "Russian Federation" in shown and "Holy See" in shown
    assert shown == sorted(shown, key=names.sort_key)


def test_where_cldr_names_something_else_the_official_name_is_shown(reference: str) -> None:
    holy_see = State.objects.get(code="VA")
    assert names.local_name(holy_see, "fr").text == "Saint-Siège"  # CLDR: Cité du Vatican
    assert names.local_name(State.objects.get(code="RU"), "de").text == "Russische Föderation"
    assert names.local_name(State.objects.get(code="US"), "es").text == "Estados Unidos de América"


def test_a_former_state_stays_in_english_marked_as_such(reference: str, client: Client) -> None:
    ussr = State.objects.get(code="SUHH")
    name = names.local_name(ussr, "fr")
    assert name.lang == "en" and name.text == ussr.name
    page = client.get("/states/?membership=former", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'<span lang="en">{ussr.name}</span>' in page
    french = client.get("/states/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span lang="fr">Autriche' not in french  # in the page's language: no mark


def test_the_partners_are_named_in_the_page_s_language(reference: str, client: Client) -> None:
    page = client.get("/states/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Japan" in page and "Ägypten" in page and "Egypt<" not in page


def test_language_names(db: None) -> None:
    assert names.language_name("ru", "fr").text == "russe"
    assert names.language_name("fr", "fr").text == "français"
    assert names.language_name("de", "en").text == "German"
    assert names.language_name("ru", "ru").text == "русский"


def test_the_state_filter_names_and_sorts_in_the_page_s_language(reference: str, client: Client) -> None:
    page = client.get("/missions/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    select = page.split('name="host_state"', 1)[1].split("</select>", 1)[0]
    # each choice is followed by its count: "Autriche (0)"
    options = [
        re.sub(r" \(\d+\)$", "", o) for o in re.findall(r'<option value="[A-Z]+"[^>]*>(.*?)</option>', select)
    ]
    assert "Autriche" in options
    assert options == sorted(options, key=names.sort_key)


def test_the_template_filter_marks_a_fallback(reference: str) -> None:
    with translation.override("it"):
        assert str(names.local_name(State.objects.get(code="AT")).html()) == "Austria"
        assert str(names.local_name(State.objects.get(code="DDDE")).html()).startswith('<span lang="en">')


def test_the_search_finds_a_state_by_its_name_in_the_page_s_language(reference: str, client: Client) -> None:
    shown = _state_names(client.get("/states/?search=autriche", HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert shown == ["Autriche"]
    shown = _state_names(client.get("/states/?search=Österreich", HTTP_ACCEPT_LANGUAGE="de").content.decode())
    assert shown == ["Österreich"]
    assert _state_names(client.get("/states/?search=austria").content.decode()) == ["Austria"]
