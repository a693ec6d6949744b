"""Names in the reader's language in the forms (CONTRACT §4, issue 11 item 2): the nominate form's
nationalities (States and Partners, CLDR names with the contract's exceptions) and the vacancy
form's languages (Babel's names), in the page's language and sorted by those names."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from secondments.models import Vacancy
from states.models import State
from tests.conftest import make_state


def page(user: Any, path: str, language: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def options(html: str, name: str) -> list[tuple[str, str]]:
    """The (value, label) of the options of the select ``name``, in order."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, name
    return [
        (value, label.strip())
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    ]


def test_the_nationalities_are_named_and_sorted_in_french(bob: Any, vacancy: Vacancy, germany: State) -> None:
    make_state("RU", "Russian Federation", iso_alpha3="RUS")
    make_state("VA", "Holy See", iso_alpha3="VAT")
    make_state("EG", "Egypt", iso_alpha3="EGY")
    choices = dict(options(page(bob, f"/vacancies/{vacancy.reference}/nominate/", "fr"), "nationality"))
    assert choices["AT"] == "Autriche" and choices["DE"] == "Allemagne" and choices["EG"] == "Égypte"
    assert choices["VA"] == "Saint-Siège"  # the contract's exception: CLDR's VA is Vatican City
    assert choices["RU"] == "Fédération de Russie"
    labels = [
        label
        for value, label in options(
            page(bob, f"/vacancies/{vacancy.reference}/nominate/", "fr"), "nationality"
        )
        if value
    ]
    assert labels == sorted(labels, key=lambda label: label.replace("É", "E"))  # Égypte among the E's
    assert labels.index("Allemagne") < labels.index("Autriche") < labels.index("Égypte")


def test_the_nationalities_stay_official_in_english(bob: Any, vacancy: Vacancy, germany: State) -> None:
    choices = dict(options(page(bob, f"/vacancies/{vacancy.reference}/nominate/", "en"), "nationality"))
    assert choices["AT"] == "Austria" and choices["DE"] == "Germany"


def test_a_partner_s_focal_point_sees_its_partner_in_french(erin: Any, make_vacancy: Any) -> None:
    vacancy = make_vacancy(publish=True, grade="S2", open_to_partners=True)
    choices = options(page(erin, f"/vacancies/{vacancy.reference}/nominate/", "fr"), "nationality")
    assert ("JP", "Japon") in choices


def test_the_vacancy_form_names_the_languages_in_french_sorted(alice: Any) -> None:
    html = page(alice, "/vacancies/new/", "fr")
    notice = options(html, "notice_language")
    assert [value for value, _label in notice] == ["de", "en", "es", "fr", "it", "ru"]  # allemand...russe
    assert dict(notice)["ru"] == "russe" and dict(notice)["de"] == "allemand"
    required = options(html, "languages")
    labels = [label for _value, label in required]
    assert dict(required)["ru"] == "russe" and dict(required)["ka"] == "géorgien"
    assert labels.index("allemand") < labels.index("géorgien") < labels.index("russe")
    assert len(required) > 150  # every ISO 639-1 language CLDR names


def test_the_vacancy_form_in_english(alice: Any) -> None:
    required = dict(options(page(alice, "/vacancies/new/", "en"), "languages"))
    assert required["ru"] == "Russian" and required["sq"] == "Albanian"


def test_editing_keeps_the_chosen_languages_selected(alice: Any, make_vacancy: Any) -> None:
    vacancy = make_vacancy(languages=["ru", "ka", "qq"])  # "qq": a code CLDR does not name (the API takes it)
    html = page(alice, f"/vacancies/{vacancy.reference}/edit/", "fr")
    selected = re.findall(r'<option value="(\w+)"[^>]*selected', html)
    assert {"ru", "ka", "qq"} <= set(selected)
