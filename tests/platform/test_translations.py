"""The interface in the six official languages: complete catalogs, compiled as committed."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client

LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ["fr", "de", "it", "ru", "es"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_and_the_committed_mo_matches_it(language: str) -> None:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert po.percent_translated() == 100, [entry.msgid for entry in po.untranslated_entries()][:10]
    assert not po.fuzzy_entries()
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, "run compilemessages after editing the .po"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Portail de l'OSCE"),
        ("de", "OSZE-Portal"),
        ("it", "Portale dell'OSCE"),
        ("ru", "Портал ОБСЕ"),
        ("es", "Portal de la OSCE"),
    ],
)
def test_pages_are_served_in_the_browsers_language(client: Client, language: str, expected: str) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}"' in html
    assert expected in html.replace("&#x27;", "'")


def test_every_translatable_string_of_the_source_is_in_the_catalogs(tmp_path: Path) -> None:
    """``make messages`` would add nothing: a string marked for translation in the code or the
    templates but missing from the catalogs would show in English in every language."""
    root = LOCALE.parent
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "node_modules", "*.pyc", "__pycache__", "*.png"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "--ignore=.venv",
            "--ignore=var",
            "--ignore=tests",
            "--ignore=bench",
            "--no-obsolete",
        ],
        cwd=copy,
        env={**os.environ, "DEBUG": "1"},
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    known = {(entry.msgctxt, entry.msgid) for entry in committed if not entry.obsolete}
    missing = sorted(entry.msgid for entry in fresh if (entry.msgctxt, entry.msgid) not in known)
    assert not missing, f"run `make messages` and translate: {missing[:10]}"
