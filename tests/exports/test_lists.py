"""CSV of every list, page and API (issue 11 §2, issue 12 §2; CONTRACT.md §4, §5).

One parametrised test walks every list endpoint and every list page: the CSV of a filter has the
very rows of the JSON (or HTML) list with that filter, in the same order, and not one per query.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, NamedTuple

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services import token_create
from secondments.models import Nomination, Vacancy
from tests.secondments.factories import NominationFactory, VacancyFactory

ANON = None


def parse_csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def streamed(response: Any) -> bytes:
    assert response.streaming, "an export is streamed, never built whole"
    return b"".join(response.streaming_content)


def lookup(url: str) -> str:
    """The object's key in its API address: ``.../vacancies/VNBAHS00592/`` gives ``VNBAHS00592``."""
    return url.rstrip("/").rsplit("/", 1)[-1]


def _api(username: str | None) -> APIClient:
    client = APIClient()
    if username is not None:
        _token, raw = token_create(user=get_user_model().objects.get(username=username), name="csv")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _page(username: str | None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(get_user_model().objects.get(username=username))
    return client


# Every list endpoint of the API (CONTRACT.md §6), some with a filter, as the roles that read them.
API_LISTS = [
    ("/api/v1/states/", ANON),
    ("/api/v1/states/?as_of=1990-01-01", ANON),
    ("/api/v1/states/?membership=all", ANON),
    ("/api/v1/partners/", ANON),
    ("/api/v1/dimensions/", ANON),
    ("/api/v1/bodies/", ANON),
    ("/api/v1/chairpersonships/", ANON),
    ("/api/v1/delegations/", ANON),
    ("/api/v1/field-operations/", ANON),
    ("/api/v1/field-operations/?status=active&region=south-eastern-europe", ANON),
    ("/api/v1/projects/", ANON),
    ("/api/v1/vacancies/", ANON),
    ("/api/v1/vacancies/?status=open", ANON),
    ("/api/v1/vacancies/", "alice"),
    ("/api/v1/nominations/", "alice"),
    ("/api/v1/nominations/?state=at", "alice"),
    ("/api/v1/nominations/", "bob"),
    ("/api/v1/secondments/", "alice"),
    ("/api/v1/secondments/", "bob"),
    ("/api/v1/elections/", ANON),
    ("/api/v1/elections/?state=GE", ANON),
    ("/api/v1/observation-activities/", ANON),
    ("/api/v1/observer-offers/", "alice"),
    ("/api/v1/observer-offers/", "bob"),
    ("/api/v1/observer-offers/", "olga"),
    ("/api/v1/recommendations/", ANON),
    ("/api/v1/webhooks/", "alice"),
]


def _with(path: str, **params: str) -> str:
    extra = "&".join(f"{key}={value}" for key, value in params.items())
    return path + ("&" if "?" in path else "?") + extra


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "who"), API_LISTS)
def test_api_csv_has_the_rows_of_the_json_list(data: dict[str, Any], path: str, who: str | None) -> None:
    client = _api(who)
    listed = client.get(_with(path, page_size="200"))
    assert listed.status_code == 200, listed.content
    body = listed.json()
    assert body["count"] <= 200
    with CaptureQueriesContext(connection) as queries:
        exported = client.get(_with(path, format="csv"))
        content = streamed(exported)
    assert exported.status_code == 200
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="[a-z-]+-\d{4}-\d{2}-\d{2}\.csv"', exported["Content-Disposition"]
    )
    rows = parse_csv(content)
    assert len(rows) == body["count"]
    assert [row["url"] for row in rows] == [item["url"] for item in body["results"]]
    _assert_no_query_per_row(queries)
    # The header row: the serializer's fields (nested objects' fields as parent.child).
    first = body["results"][0] if body["results"] else None
    if first is not None:
        header = next(csv.reader(io.StringIO(content.decode())))
        for name in first:
            # A nested object's fields are columns of their own (test_nested_objects_and_lists).
            assert name in header or any(column.startswith(f"{name}.") for column in header)


@pytest.mark.django_db
def test_accept_text_csv_is_the_same_as_format_csv(data: dict[str, Any]) -> None:
    client = _api("alice")
    by_header = client.get("/api/v1/nominations/", HTTP_ACCEPT="text/csv")
    by_format = client.get("/api/v1/nominations/?format=csv")
    assert by_header["Content-Type"] == "text/csv; charset=utf-8"
    assert streamed(by_header) == streamed(by_format)


def _assert_no_query_per_row(queries: CaptureQueriesContext) -> None:
    """A query run once per row shows as the same statement run again and again: none may repeat."""
    statements = [re.sub(r"\b\d+\b|'[^']*'", "?", query["sql"]) for query in queries.captured_queries]
    repeated = {sql for sql in statements if statements.count(sql) > 1 and "SAVEPOINT" not in sql}
    assert not repeated, repeated
    assert len(statements) <= 12, statements


# Every list page (CONTRACT.md §4): address, who looks, the attribute in the API address of a row.
class PageList(NamedTuple):
    path: str
    who: str | None
    key: str = "pk"


PAGE_LISTS = [
    PageList("/states/", ANON, "code"),
    PageList("/states/?membership=all", ANON, "code"),
    PageList("/states/?as_of=1976-01-01", ANON, "code"),
    PageList("/dimensions/", ANON, "slug"),
    PageList("/missions/", ANON, "slug"),
    PageList("/missions/?status=closed", ANON, "slug"),
    PageList("/projects/", ANON),
    PageList("/vacancies/", ANON, "reference"),
    PageList("/vacancies/?status=closed", ANON, "reference"),
    PageList("/vacancies/", "alice", "reference"),
    PageList("/nominations/", "alice"),
    PageList("/nominations/?status=submitted", "alice"),
    PageList("/nominations/", "bob"),
    PageList("/secondments/", "alice"),
    PageList("/secondments/", "bob"),
    PageList("/elections/", ANON),
    PageList("/elections/?state=GE", ANON),
    PageList("/elections/?view=calendar", ANON),
    PageList("/elections/offers/", "alice"),
    PageList("/elections/offers/", "bob"),
    PageList("/elections/recommendations/", ANON),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", PAGE_LISTS, ids=lambda case: f"{case.path} {case.who}")
def test_page_csv_has_the_rows_of_the_page(data: dict[str, Any], case: PageList) -> None:
    client = _page(case.who)
    page = client.get(case.path.replace("view=calendar", "view=list"))
    assert page.status_code == 200
    objects = list(page.context["object_list"])
    paginator = page.context.get("paginator")
    assert paginator is None or paginator.num_pages == 1  # the test data fits on one page
    assert 'download href="' in page.content.decode() or "Download CSV" in page.content.decode()
    with CaptureQueriesContext(connection) as queries:
        exported = client.get(_with(case.path, format="csv"))
        content = streamed(exported)
    assert exported.status_code == 200
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert content.startswith("\ufeff".encode())  # the BOM: a spreadsheet reads UTF-8 right
    rows = parse_csv(content)
    assert [lookup(row["url"]) for row in rows] == [str(getattr(item, case.key)) for item in objects]
    _assert_no_query_per_row(queries)


@pytest.mark.django_db
def test_the_download_link_keeps_the_current_filter(data: dict[str, Any]) -> None:
    page = _page("alice").get("/vacancies/?status=open&grade=S2&page=1")
    html = page.content.decode()
    assert 'href="?status=open&amp;grade=S2&amp;format=csv"' in html
    assert "Download CSV" in html


@pytest.mark.django_db
def test_focal_points_csv_has_no_other_states_rows(data: dict[str, Any]) -> None:
    german = data["german"]
    for content in (
        streamed(_api("bob").get("/api/v1/nominations/?format=csv")),
        streamed(_page("bob").get("/nominations/?format=csv")),
        streamed(_api("bob").get("/api/v1/nominations/?format=csv&vacancy=VNBAHS00592")),
    ):
        rows = parse_csv(content)
        assert rows and {row["state"] for row in rows} == {"AT"}
        assert "Schmidt-Geheim" not in content.decode()
        assert str(german.pk) not in {lookup(row["url"]) for row in rows}
    # HR sees both States' nominations of the vacancy.
    hr = parse_csv(streamed(_api("alice").get("/api/v1/nominations/?format=csv&vacancy=VNBAHS00592")))
    assert {row["state"] for row in hr} == {"AT", "DE"}
    # Filtering by another State answers nothing of Germany's.
    assert parse_csv(streamed(_api("bob").get("/api/v1/nominations/?format=csv&state=DE"))) == []


@pytest.mark.django_db
def test_private_lists_refuse_csv_as_they_refuse_the_page(data: dict[str, Any]) -> None:
    assert _api(None).get("/api/v1/nominations/?format=csv").status_code == 401
    refused = _api("dave").get("/api/v1/nominations/?format=csv")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/json"
    page = _page(None).get("/nominations/?format=csv")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert _page("dave").get("/secondments/?format=csv").status_code == 403
    # Drafts stay HR's: the anonymous CSV of vacancies has none.
    VacancyFactory(reference="VNBAHS00999", status=Vacancy.Status.DRAFT, published=None)
    anonymous = {
        row["reference"] for row in parse_csv(streamed(_api(None).get("/api/v1/vacancies/?format=csv")))
    }
    assert "VNBAHS00999" not in anonymous
    hr = {row["reference"] for row in parse_csv(streamed(_api("alice").get("/api/v1/vacancies/?format=csv")))}
    assert "VNBAHS00999" in hr


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [{"HTTP_ACCEPT": "text/csv"}, {}])
def test_bad_filter_is_a_400_in_json(data: dict[str, Any], accept: dict[str, str]) -> None:
    path = "/api/v1/vacancies/?status=nonsense" + ("" if accept else "&format=csv")
    response = _api(None).get(path, **accept)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "status" in response.json()
    bad_date = _api(None).get("/api/v1/states/?as_of=1990-13-45&format=csv")
    assert bad_date.status_code == 400 and "as_of" in bad_date.json()


@pytest.mark.django_db
def test_bad_filter_on_a_page_shows_the_page_with_400(data: dict[str, Any]) -> None:
    response = _page(None).get("/vacancies/?status=nonsense&format=csv")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    states = _page(None).get("/states/?as_of=never&format=csv")
    assert states.status_code == 400 and states["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_every_row_not_one_page(data: dict[str, Any]) -> None:
    VacancyFactory.create_batch(60, published=data["vacancy"].published)
    json_list = _api(None).get("/api/v1/vacancies/?page_size=2")
    assert len(json_list.json()["results"]) == 2
    rows = parse_csv(streamed(_api(None).get("/api/v1/vacancies/?format=csv&page_size=2&page=2")))
    assert len(rows) == json_list.json()["count"] > 60
    page_rows = parse_csv(streamed(_page("alice").get("/vacancies/?format=csv&page=2")))
    assert len(page_rows) == Vacancy.objects.count()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(
    data: dict[str, Any], django_assert_num_queries: Any, alice: Any
) -> None:
    client = _api("alice")
    streamed(client.get("/api/v1/nominations/?format=csv"))  # the token's first use is recorded once
    # The token (1), then the nominations with their vacancy, State and nationality joined (1) and
    # their history prefetched (1): the same for 3 rows and for 40.
    with CaptureQueriesContext(connection) as few:
        streamed(client.get("/api/v1/nominations/?format=csv"))
    vacancy = VacancyFactory(published=data["vacancy"].published)
    NominationFactory.create_batch(40, vacancy=vacancy)
    with django_assert_num_queries(len(few.captured_queries)):
        content = streamed(client.get("/api/v1/nominations/?format=csv"))
    assert len(parse_csv(content)) == Nomination.objects.count() > 40


@pytest.mark.django_db
def test_formula_cells_are_neutralised(data: dict[str, Any]) -> None:
    VacancyFactory(
        reference="VNBAHS00777",
        title='=HYPERLINK("http://evil.example/","Click")',
        duty_station="+Sarajevo",
        description="@SUM(1+1)",
        requirements="-2+3",
        published=data["vacancy"].published,
    )
    rows = parse_csv(streamed(_api(None).get("/api/v1/vacancies/?format=csv")))
    row = next(row for row in rows if row["reference"] == "VNBAHS00777")
    assert row["title"] == '\'=HYPERLINK("http://evil.example/","Click")'
    assert row["duty_station"] == "'+Sarajevo"
    assert row["description"] == "'@SUM(1+1)"
    assert row["requirements"] == "'-2+3"
    page_rows = parse_csv(streamed(_page(None).get("/vacancies/?format=csv")))
    assert next(r for r in page_rows if r["reference"] == "VNBAHS00777")["title"].startswith("'=")


@pytest.mark.django_db
def test_nested_objects_and_lists(data: dict[str, Any]) -> None:
    rows = parse_csv(streamed(_api("alice").get("/api/v1/nominations/?format=csv")))
    row = next(row for row in rows if row["candidate.family_name"] == "Oberhuber-Mustermann")
    assert row["candidate.given_name"] == "Anna-Katharina"
    assert row["history"].startswith("[")  # a list of objects: JSON text in one cell
    vacancies = parse_csv(streamed(_api(None).get("/api/v1/vacancies/?format=csv")))
    assert vacancies[0]["languages"] == '["en"]'
    assert vacancies[0]["open_to_partners"] in {"true", "false"}


@pytest.mark.django_db
def test_a_single_object_as_csv_is_one_row(data: dict[str, Any]) -> None:
    response = _api(None).get("/api/v1/vacancies/VNBAHS00592/?format=csv")
    assert response.status_code == 200
    rows = parse_csv(response.content)
    assert len(rows) == 1 and rows[0]["reference"] == "VNBAHS00592"
    missing = _api(None).get("/api/v1/vacancies/VNXXXX00000/?format=csv")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_schema_documents_csv(api: APIClient) -> None:
    schema = api.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/vacancies/"]["get"]
    assert operation["responses"]["200"]["content"]["text/csv"]["schema"]["type"] == "string"
    assert {"name": "format", "in": "query"}.items() <= next(
        p for p in operation["parameters"] if p["name"] == "format"
    ).items()
    offers = schema["paths"]["/api/v1/observation-activities/{id}/observer-offers/"]["get"]
    assert "text/csv" in offers["responses"]["200"]["content"]
