"""Request bodies: 1 MiB in general (413 beyond); 5 MiB only for a multipart POST to a route that
takes a PDF (a nomination's CV, an observation report), never by a path that merely looks like one."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

TWO_MIB = 2 * 1024 * 1024


def _file() -> SimpleUploadedFile:
    return SimpleUploadedFile("cv.pdf", b"%PDF-" + b"0" * TWO_MIB, content_type="application/pdf")


def _json(size: int) -> str:
    return json.dumps({"motivation": "x" * size})


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PATCH", "/api/v1/nominations/1/"),  # contains /nominations, takes no file
        ("POST", "/api/v1/nominations/1/withdraw/"),
        ("POST", "/api/v1/vacancies/VNBAHS00001/nominations/"),  # an upload route, but JSON
        ("POST", "/api/v1/recommendations/"),
        ("POST", "/api/v1/webhooks/"),
    ],
)
def test_a_large_json_body_is_413_everywhere(client: Client, method: str, path: str) -> None:
    response = client.generic(method, path, _json(TWO_MIB), content_type="application/json")
    assert response.status_code == 413, (path, response.status_code)
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/nominations/1/withdraw/",  # a page whose path contains /nominations, takes no file
        "/nominations/1/decide/",
        "/accounts/login/",
        "/vacancies/new/",
    ],
)
def test_a_large_multipart_body_to_a_route_without_a_file_is_413(client: Client, path: str) -> None:
    response = client.post(path, {"cv": _file()})
    assert response.status_code == 413, (path, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/vacancies/VNBAHS00001/nominations/",
        "/api/v1/observation-activities/1/reports/",
        "/vacancies/VNBAHS00001/nominate/",
        "/nominations/1/update/",
        "/elections/activities/1/reports/new/",
    ],
)
def test_an_upload_route_takes_a_file_up_to_the_upload_limit(client: Client, path: str) -> None:
    response = client.post(path, {"cv": _file(), "file": _file()})
    assert response.status_code != 413, path  # refused or not for other reasons (login, not found)
    too_big = SimpleUploadedFile("cv.pdf", b"%PDF-" + b"0" * settings.MAX_UPLOAD_BODY)
    assert client.post(path, {"cv": too_big}).status_code == 413, path
