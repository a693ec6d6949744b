"""The nightly open-data dumps (issue 12 §2): public data only, JSON and CSV, manifest, atomic."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from core import opendata
from core.errors import LoginRequired
from core.tasks import open_data_build
from secondments.models import Secondment, Vacancy
from states.models import State
from tests.elections.factories import OfferFactory
from tests.secondments.factories import NominationFactory, VacancyFactory

SECRETS = ("Vertraulich", "geheim@secret.example", "SECRET-MOTIVATION", "SECRET-OFFER-NOTE", "Schmidt-Geheim")


@pytest.fixture
def dumps(settings: Any, tmp_path: Path) -> Path:
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    settings.SITE_URL = "https://portal.example"
    return tmp_path / "open-data"


@pytest.mark.django_db
def test_the_beat_schedules_the_dump_nightly() -> None:
    entry = django_settings.CELERY_BEAT_SCHEDULE["open-data-dumps"]
    assert entry["task"] == "core.tasks.open_data_build"
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {30}


@pytest.mark.django_db
def test_dump_has_every_public_resource_with_a_true_manifest(
    data: dict[str, Any],
    dumps: Path,
    api: APIClient,
) -> None:
    VacancyFactory(reference="VNBAHS00999", status=Vacancy.Status.DRAFT, published=None)
    open_data_build.delay()  # eager in tests: the task the beat sends
    folder = dumps / "current"
    manifest = json.loads((folder / "manifest.json").read_text())
    names = [resource["name"] for resource in manifest["resources"]]
    assert names == list(opendata.PUBLIC_RESOURCES)
    for resource in manifest["resources"]:
        listed = api.get(
            f"/api/v1/{resource['name']}/", {"page_size": 1, **opendata.PUBLIC_RESOURCES[resource["name"]]}
        )
        assert resource["rows"] == listed.json()["count"], resource["name"]
        for described in resource["files"]:
            body = (folder / described["file"]).read_bytes()
            assert described["bytes"] == len(body)
            assert described["sha256"] == hashlib.sha256(body).hexdigest()
            if described["format"] == "csv":
                assert len(list(csv.DictReader(io.StringIO(body.decode())))) == resource["rows"]
            else:
                assert len(json.loads(body)) == resource["rows"]
    states = json.loads((folder / "states.json").read_text())
    assert any(state["code"] == "SUHH" for state in states)  # former States too
    assert states[0]["url"].startswith("https://portal.example/api/v1/states/")
    vacancies = {row["reference"] for row in json.loads((folder / "vacancies.json").read_text())}
    assert "VNBAHS00592" in vacancies and "VNBAHS00999" not in vacancies  # no drafts


@pytest.mark.django_db
def test_no_nomination_candidate_or_offer_in_the_dumps(data: dict[str, Any], dumps: Path) -> None:
    austria = State.objects.get(code="AT")
    NominationFactory(
        vacancy=data["vacancy"],
        state=austria,
        nationality=austria,
        given_name="Vertraulich",
        email="geheim@secret.example",
        motivation="SECRET-MOTIVATION",
    )
    OfferFactory(activity=data["activity"], state=State.objects.get(code="FR"), note="SECRET-OFFER-NOTE")
    assert Secondment.objects.exists()  # a selected candidate's secondment is in the data too
    opendata.build()
    folder = dumps / "current"
    files = sorted(path.name for path in folder.iterdir())
    assert not [
        name for name in files if name.split(".")[0] in {"nominations", "secondments", "observer-offers"}
    ]
    for path in folder.iterdir():
        text = path.read_text()
        for secret in SECRETS:
            assert secret not in text, (path.name, secret)
        assert "/api/v1/nominations/" not in text and "candidate" not in text


@pytest.mark.django_db
def test_a_new_dump_replaces_the_old_whole(data: dict[str, Any], dumps: Path) -> None:
    first = opendata.build()
    assert (dumps / "current").resolve() == first
    VacancyFactory(reference="VNBAHS00888", published=data["vacancy"].published)
    second = opendata.build()
    assert (dumps / "current").is_symlink() and (dumps / "current").resolve() == second
    assert "VNBAHS00888" in (second / "vacancies.csv").read_text()
    assert "VNBAHS00888" not in (first / "vacancies.csv").read_text()  # the old one untouched
    third = opendata.build()
    kept = sorted(path for path in (dumps / "builds").iterdir())
    assert kept == [second, third]  # the one before stays for downloads under way; no temp left


@pytest.mark.django_db
def test_a_failed_build_leaves_the_served_dump(
    data: dict[str, Any],
    dumps: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = opendata.build()
    monkeypatch.setitem(opendata.PUBLIC_RESOURCES, "no-such-resource", {})
    with pytest.raises(Exception):
        opendata.build()
    assert (dumps / "current").resolve() == first
    assert [path for path in (dumps / "builds").iterdir()] == [first]  # the half-built folder is gone
    assert os.listdir(first)


@pytest.mark.django_db
def test_served_at_api_open_data(data: dict[str, Any], dumps: Path, api: APIClient) -> None:
    assert api.get("/api/v1/open-data/").json() == {"generated": None, "resources": []}
    assert api.get("/api/v1/open-data/vacancies.csv").status_code == 404
    opendata.build()
    listing = api.get("/api/v1/open-data/", HTTP_ACCEPT="text/csv")
    assert listing.status_code == 200 and listing["Content-Type"] == "application/json"
    vacancies = next(resource for resource in listing.json()["resources"] if resource["name"] == "vacancies")
    csv_file = next(described for described in vacancies["files"] if described["format"] == "csv")
    assert csv_file["url"] == "http://testserver/api/v1/open-data/vacancies.csv"
    response = api.get("/api/v1/open-data/vacancies.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == csv_file["sha256"]
    assert api.get("/api/v1/open-data/vacancies.csv", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert api.get("/api/v1/open-data/vacancies.json")["Content-Type"] == "application/json"
    assert api.get("/api/v1/open-data/nominations.csv").status_code == 404
    assert api.get("/api/v1/open-data/manifest.json").status_code == 404
    assert "open-data" in api.get("/api/v1/").json()


@pytest.mark.django_db
def test_a_private_list_can_never_be_dumped(dumps: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each resource is read as an anonymous request: a private list's policy refuses it.
    monkeypatch.setitem(opendata.PUBLIC_RESOURCES, "nominations", {})
    with pytest.raises(LoginRequired):
        opendata.build()
    assert not (dumps / "current").exists()
