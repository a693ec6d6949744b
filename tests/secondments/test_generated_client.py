"""A Python client generated from the OpenAPI document (openapi-python-client, no network) lists
vacancies and nominates a candidate against a live server: the schema is one a program can use."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.services import token_create
from secondments.models import Vacancy

PACKAGE = "osce_portal_generated_client"


def _generate(tmp_path: Path) -> Any:
    document = APIClient().get("/api/v1/schema/?format=json")
    assert document.status_code == 200
    # The client speaks JSON. openapi-python-client (0.29) writes a broken module (an unimported
    # ``Unset``) for an operation taking several content types, so the form and multipart
    # alternatives of each body are left out of its copy; the document itself is unchanged.
    spec = json.loads(document.content)
    for operations in spec["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                operation["requestBody"]["content"] = {"application/json": content["application/json"]}
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(spec))
    config = tmp_path / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run: nothing outside the venv is needed
    subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=300,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_lists_vacancies_and_nominates(
    live_server: Any, tmp_path: Path, bob: Any, vacancy: Vacancy
) -> None:
    _token, raw = token_create(user=bob, name="generated client")

    client_package = _generate(tmp_path)
    vacancies_list = importlib.import_module(f"{PACKAGE}.api.vacancies.vacancies_list")
    nominate = importlib.import_module(f"{PACKAGE}.api.vacancies.vacancies_nominations_create")
    models = importlib.import_module(f"{PACKAGE}.models")
    client = client_package.AuthenticatedClient(base_url=live_server.url, token=raw)

    page = vacancies_list.sync(client=client, status=models.VacanciesListStatus.OPEN)
    assert isinstance(page, models.PaginatedVacancyList)
    assert [row.reference for row in page.results] == [vacancy.reference]
    assert page.results[0].deadline == vacancy.deadline  # typed: a date, parsed by the client

    body = models.NominationCreateRequest(
        candidate=models.CandidateRequest(
            given_name="Anna",
            family_name="Huber",
            email="anna.huber@example.org",
            nationality="AT",
            gender=models.GenderEnum.FEMALE,
        ),
        motivation="Ten years in rule-of-law programmes.",
    )
    response = nominate.sync_detailed(reference=vacancy.reference, client=client, body=body)
    assert response.status_code == 201, response.content
    nomination = response.parsed
    assert isinstance(nomination, models.Nomination)
    assert nomination.vacancy == vacancy.reference and nomination.state == "AT"
    assert nomination.status == models.NominationStatusEnum.SUBMITTED

    again = nominate.sync_detailed(reference=vacancy.reference, client=client, body=body)
    assert again.status_code == 409  # the same candidate twice: a documented error, parsed
    assert isinstance(again.parsed, models.Error) and again.parsed.detail
