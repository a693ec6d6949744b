"""The API frame: root, schema and docs without a CDN, authentication, error shapes, limits."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import token_create, token_revoke

pytestmark = pytest.mark.django_db
PROBE = "tests.platform.urls_api_probe"


def test_api_root_lists_resources(api: APIClient) -> None:
    response = api.get("/api/v1/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json(), dict)


def test_schema_is_a_valid_openapi_document(api: APIClient) -> None:
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "OSCE portal API"


def test_schema_validates_without_warnings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_docs_are_served_from_the_sidecar_without_any_cdn(client: Client) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html and "http://" not in html.replace("http://testserver", "")


@pytest.mark.urls(PROBE)
def test_write_without_credentials_is_401(api: APIClient) -> None:
    response = api.post("/api/v1/probe/", {"title": "x", "posts": 1}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()


@pytest.mark.urls(PROBE)
def test_revoked_token_is_401(alice) -> None:  # type: ignore[no-untyped-def]
    token, raw = token_create(user=alice, name="ci")
    token_revoke(token=token, actor=alice)
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.post("/api/v1/probe/", {"title": "x", "posts": 1}, format="json").status_code == 401
    assert client.get("/api/v1/probe/").status_code == 401  # a bad credential is refused even on reads


@pytest.mark.urls(PROBE)
def test_expired_token_is_401(alice) -> None:  # type: ignore[no-untyped-def]
    token, raw = token_create(user=alice, name="ci", expires_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - datetime.timedelta(seconds=1))
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.post("/api/v1/probe/", {"title": "x", "posts": 1}, format="json")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


@pytest.mark.urls(PROBE)
def test_unknown_or_malformed_token_is_401(api: APIClient) -> None:
    for header in ["Bearer nonsense", "Bearer", "Bearer a b"]:
        api.credentials(HTTP_AUTHORIZATION=header)
        assert api.post("/api/v1/probe/", {}, format="json").status_code == 401


@pytest.mark.urls(PROBE)
def test_valid_token_without_the_right_is_403(api_as, bob, dave) -> None:  # type: ignore[no-untyped-def]
    for user in (bob, dave):
        response = api_as(user).post("/api/v1/probe/", {"title": "x", "posts": 1}, format="json")
        assert response.status_code == 403
        assert "detail" in response.json()


@pytest.mark.urls(PROBE)
def test_valid_token_with_the_right_writes(api_as, alice) -> None:  # type: ignore[no-untyped-def]
    response = api_as(alice).post("/api/v1/probe/", {"title": "x", "posts": 2}, format="json")
    assert response.status_code == 201
    assert response.json() == {"title": "x", "posts": 2}
    assert ApiToken.objects.get(user=alice).last_used is not None


@pytest.mark.urls(PROBE)
def test_field_errors_and_bad_bodies_are_4xx_json(api_as, alice) -> None:  # type: ignore[no-untyped-def]
    client = api_as(alice)
    response = client.post("/api/v1/probe/", {"title": "x" * 30, "posts": 0}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"title", "posts"} and isinstance(body["posts"], list)

    response = client.generic("POST", "/api/v1/probe/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)

    response = client.generic("POST", "/api/v1/probe/", "title=x", content_type="text/x-unknown")
    assert response.status_code == 415
    assert "detail" in response.json()


@pytest.mark.urls(PROBE)
def test_oversized_body_is_413(api_as, alice) -> None:  # type: ignore[no-untyped-def]
    big = json.dumps({"title": "x" * (1024 * 1024 + 10), "posts": 1})
    response = api_as(alice).generic("POST", "/api/v1/probe/", big, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_unknown_api_address_is_json_404(api: APIClient) -> None:
    response = api.get("/api/v1/no-such-resource/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_unknown_page_is_html_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"<h1>" in response.content


def test_conditional_get_answers_304(api: APIClient) -> None:
    first = api.get("/api/v1/")
    etag = first["ETag"]
    assert etag
    assert api.get("/api/v1/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.urls(PROBE)
def test_throttling_answers_429_with_retry_after(api: APIClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache

    from core.throttling import PortalRateThrottle

    cache.clear()
    monkeypatch.setattr(PortalRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "1000/min"})
    statuses = [api.get("/api/v1/probe/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = api.get("/api/v1/probe/")
    assert int(response["Retry-After"]) > 0
    cache.clear()


@pytest.mark.urls(PROBE)
def test_a_read_only_token_reads_and_is_refused_every_write(alice) -> None:  # type: ignore[no-untyped-def]
    _token, raw = token_create(user=alice, name="reader", read_only=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/probe/").status_code == 200
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/probe/", {"title": "x", "posts": 1}, format="json")
        assert response.status_code == 403, method
        assert "read-only" in response.json()["detail"]
    _token, writer = token_create(user=alice, name="writer")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert client.post("/api/v1/probe/", {"title": "x", "posts": 1}, format="json").status_code != 403


def test_the_schema_documents_field_selection_sync_and_every_error_body(api: APIClient) -> None:
    document = json.loads(api.get("/api/v1/schema/?format=json").content)
    paths = document["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            is_detail = path.endswith("}/") and method == "get"
            is_list = method == "get" and "200" in operation["responses"] and not is_detail
            # The open-data dumps are files and their manifest, not resources: no field selection.
            if method == "get" and not path.startswith("/api/v1/open-data/"):
                assert "fields" in names, (method, path)
            if method != "get":
                assert {"400", "401", "403", "409"} <= set(operation["responses"]), (method, path)
            if "{" in path or is_list:
                assert "404" in operation["responses"], (method, path)
            for code, answer in operation["responses"].items():
                if code.startswith("4"):
                    assert "application/json" in answer.get("content", {}), (method, path, code)
    for path in ("vacancies", "nominations", "secondments", "elections", "observation-activities"):
        names = {parameter["name"] for parameter in paths[f"/api/v1/{path}/"]["get"]["parameters"]}
        assert {"updated_since", "ordering", "fields", "page", "page_size"} <= names, path
    assert "Error" in document["components"]["schemas"]


def test_the_schema_documents_fields_on_every_write_answering_an_object(api: APIClient) -> None:
    paths = json.loads(api.get("/api/v1/schema/?format=json").content)["paths"]

    def fields_of(path: str, method: str) -> str | None:
        for parameter in paths[path][method].get("parameters", []):
            if parameter["name"] == "fields":
                return str(parameter["description"])
        return None

    for path, operations in paths.items():
        for method in operations.keys() & {"post", "put", "patch"}:
            if not path.startswith("/api/v1/open-data/"):
                assert fields_of(path, method), (method, path)
        if "delete" in operations:
            assert fields_of(path, "delete") is None, path  # no body, nothing to select
    publish = fields_of("/api/v1/vacancies/{reference}/publish/", "post")
    assert publish and "before anything is written" in publish and "`deadline`" in publish
    # A nomination to a vacancy answers a nomination: its names, not the vacancy's.
    nominate = fields_of("/api/v1/vacancies/{reference}/nominations/", "post")
    assert nominate and "`candidate`" in nominate and "`deadline`" not in nominate
