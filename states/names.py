"""Names of States, Partners and languages in the reader's language (CONTRACT §4), from CLDR.

English shows the reference's official names (``reference/states.csv``, ``partners.csv``). The other
five languages show CLDR's names through Babel, except where CLDR names something else than the
participant or shortens its official name (``VA`` is Vatican City in CLDR, the participant is the
Holy See): there the official name in that language, from ``reference/official_names.csv`` with its
source. A name with no translation at hand (the former States: ``SUHH``, ``DDDE``...) stays in
English, and says so: ``LocalName.lang`` is ``en``, and the template filters mark it ``lang="en"``.

Babel has no collation; lists sort by ``sort_key``: the name with its accents taken off (Unicode
NFKD, combining marks dropped) and case folded, so "Égypte" sorts among the E's in French.
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from babel import Locale, UnknownLocaleError
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

OFFICIAL_NAMES = Path(__file__).resolve().parent / "reference" / "official_names.csv"
ENGLISH = "en"


class Named(Protocol):
    code: str
    name: str


@dataclass(frozen=True)
class LocalName:
    """A name and the language it is written in (which differs from the page's when none was at hand)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def html(self, page_language: str | None = None) -> SafeString:
        """The name, escaped; wrapped in ``<span lang="…">`` when not in the page's language."""
        if self.lang == _language(page_language):
            return format_html("{}", self.text)
        return format_html('<span lang="{}">{}</span>', self.lang, self.text)


def _language(lang: str | None) -> str:
    """The two-letter language of ``lang``, or of the active translation."""
    return (lang or get_language() or ENGLISH).split("-")[0].lower()


@functools.cache
def _locale(lang: str) -> Locale | None:
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return None


@functools.cache
def _official_names() -> dict[tuple[str, str], str]:
    with OFFICIAL_NAMES.open(encoding="utf-8") as handle:
        return {(row["code"], row["lang"]): row["name"] for row in csv.DictReader(handle)}


def territory_name(code: str, english: str, lang: str | None = None) -> LocalName:
    """The name of the State or Partner ``code`` (official English name ``english``) in ``lang``."""
    lang = _language(lang)
    if lang == ENGLISH:
        return LocalName(english, ENGLISH)
    official = _official_names().get((code, lang))
    if official:
        return LocalName(official, lang)
    locale = _locale(lang)
    cldr = locale.territories.get(code) if locale is not None and len(code) == 2 else None
    if cldr:
        return LocalName(cldr, lang)
    return LocalName(english, ENGLISH)


def local_name(obj: Named, lang: str | None = None) -> LocalName:
    """The name of a State or Partner (anything with ``code`` and ``name``) in ``lang``."""
    return territory_name(obj.code, obj.name, lang)


def language_name(code: str, lang: str | None = None) -> LocalName:
    """The name of the language ``code`` (ISO 639-1) in ``lang``: ``ru`` is "russe" in French."""
    lang = _language(lang)
    for candidate in (lang, ENGLISH):
        locale = _locale(candidate)
        name = locale.languages.get(code) if locale is not None else None
        if name:
            return LocalName(name, candidate)
    return LocalName(code, ENGLISH)


def codes_named(text: str, lang: str | None = None) -> set[str]:
    """The codes whose name in ``lang`` contains ``text`` (accents and case aside): for searching
    "Autriche" in French. English names are the reference's, searched in the database."""
    lang = _language(lang)
    wanted = sort_key(text.strip())
    if lang == ENGLISH or not wanted:
        return set()
    locale = _locale(lang)
    names = dict(locale.territories) if locale is not None else {}
    names.update({code: name for (code, name_lang), name in _official_names().items() if name_lang == lang})
    return {code for code, name in names.items() if len(code) == 2 and wanted in sort_key(name)}


def sort_key(text: str) -> str:
    """A locale-tolerant sort key: accents off, case folded (Babel has no collation)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def sorted_by_name[T: Named](objects: Iterable[T], lang: str | None = None) -> list[T]:
    """States or Partners sorted by their name in ``lang``."""
    return sorted(objects, key=lambda obj: (sort_key(local_name(obj, lang).text), obj.code))


def label(obj: Any) -> str:
    """A choice label for a State or Partner in a form (plain text: options carry no markup)."""
    return local_name(obj).text


@functools.cache
def iso_639_1_codes() -> tuple[str, ...]:
    """The two-letter (ISO 639-1) language codes CLDR names: what a vacancy may require."""
    locale = _locale(ENGLISH)
    codes = locale.languages if locale is not None else {}
    return tuple(sorted(code for code in codes if len(code) == 2 and code.isalpha()))


def language_choices(codes: Iterable[str], lang: str | None = None) -> list[tuple[str, str]]:
    """``(code, name)`` for a form's options, the names in ``lang`` (the page's), sorted by them."""
    named = [(code, language_name(code, lang).text) for code in codes]
    return sorted(named, key=lambda choice: (sort_key(choice[1]), choice[0]))
