"""Cheap validators (``core.versions``): table versions moved by the database on every write, the
API's ETags and 304s made from them, and the per-process reference caches they keep fresh."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.request import Request

from core.versions import read_versions, versioned_tables
from missions.models import FieldOperation
from secondments import services
from secondments.api.rows import COLUMNS, FIELDS, vacancy_rows
from secondments.api.serializers import VacancySerializer
from secondments.models import Vacancy
from states.models import Body, State
from tests.secondments.conftest import candidate

LIST = "/api/v1/vacancies/?page_size=50&status=open"


def a_body() -> Body:
    return Body.objects.create(slug="odihr", name="ODIHR", kind="institution", seat="Warsaw")


def at_body(body: Body) -> dict[str, Any]:
    return {
        "field_operation": None,
        "body": body,
        "duty_station": "Warsaw",
        "grade": "P3",
        "appointment": "contracted",
    }


def test_every_versioned_table_has_its_trigger(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'core_version_bump' AND NOT t.tgisinternal"
        )
        with_trigger = {row[0] for row in cursor.fetchall()}
    tables = set(versioned_tables())
    assert {"secondments_vacancy", "secondments_nomination", "missions_fieldoperation", "auth_user"} <= tables
    assert tables <= with_trigger


def test_any_write_moves_the_version_even_bulk_and_raw(vacancy: Vacancy) -> None:
    """Not only services: a queryset ``update`` (no signals) and raw SQL move it too, and a
    version is never given twice (one sequence)."""
    seen = [read_versions()["secondments_vacancy"]]
    Vacancy.objects.filter(pk=vacancy.pk).update(title="Renamed in bulk")
    seen.append(read_versions()["secondments_vacancy"])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE secondments_vacancy SET posts = 2 WHERE id = %s", [vacancy.pk])
    seen.append(read_versions()["secondments_vacancy"])
    assert len(set(seen)) == 3 and seen == sorted(seen)


def test_list_etag_answers_304_with_one_query(
    api: Any, vacancy: Vacancy, django_assert_num_queries: Any
) -> None:
    first = api.get(LIST)
    assert first.status_code == 200 and first["ETag"].startswith('"v')
    with django_assert_num_queries(1):  # the versions; no row is read
        again = api.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and again.content == b""
    assert api.get(LIST)["ETag"] == first["ETag"]  # nothing changed: the same validator


def test_etag_changes_the_moment_visible_data_changes(
    api: Any, alice: Any, vacancy: Vacancy, operation: FieldOperation
) -> None:
    etags = [api.get(LIST)["ETag"]]
    later = vacancy.deadline + datetime.timedelta(days=3)
    services.vacancy_extend(actor=alice, vacancy=vacancy, deadline=later)
    etags.append(api.get(LIST)["ETag"])
    FieldOperation.objects.filter(pk=operation.pk).update(slug="renamed-mission")  # the admin, a load
    etags.append(api.get(LIST)["ETag"])
    assert len(set(etags)) == 3
    stale = api.get(LIST, HTTP_IF_NONE_MATCH=etags[0])
    assert stale.status_code == 200 and stale.json()["results"][0]["field_operation"] == "renamed-mission"


def test_etag_differs_by_query_language_and_date(api: Any, vacancy: Vacancy, monkeypatch: Any) -> None:
    base = api.get(LIST)["ETag"]
    assert api.get(LIST + "&page=1")["ETag"] != base
    assert api.get(LIST, HTTP_ACCEPT_LANGUAGE="fr")["ETag"] != base
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("core.versions.timezone.localdate", lambda: tomorrow)
    # a deadline passing turns open into closed without a write: the day is in the validator
    assert api.get(LIST)["ETag"] != base


def test_nomination_etags_never_shared_between_states(
    api_as: Any, alice: Any, bob: Any, carol: Any, vacancy: Vacancy
) -> None:
    austria = State.objects.get(code="AT")
    services.nomination_submit(actor=bob, vacancy=vacancy, **candidate(nationality=austria))
    as_bob, as_carol = api_as(bob), api_as(carol)
    bob_answer = as_bob.get("/api/v1/nominations/")
    assert bob_answer.json()["count"] == 1
    carol_answer = as_carol.get("/api/v1/nominations/")
    assert carol_answer.json()["count"] == 0
    assert bob_answer["ETag"] != carol_answer["ETag"]
    # Bob's validator gets Carol her own (empty) list, never a 304 standing for Bob's
    replayed = as_carol.get("/api/v1/nominations/", HTTP_IF_NONE_MATCH=bob_answer["ETag"])
    assert replayed.status_code == 200 and replayed.json()["count"] == 0
    assert as_bob.get("/api/v1/nominations/", HTTP_IF_NONE_MATCH=bob_answer["ETag"]).status_code == 304
    services.nomination_submit(actor=bob, vacancy=vacancy, **candidate(n=2, nationality=austria))
    after = as_bob.get("/api/v1/nominations/", HTTP_IF_NONE_MATCH=bob_answer["ETag"])
    assert after.status_code == 200 and after.json()["count"] == 2


def test_anonymous_never_gets_hr_validator(api: Any, api_as: Any, alice: Any, make_vacancy: Any) -> None:
    make_vacancy(publish=False)  # a draft: HR's list shows it, nobody else's
    hr = api_as(alice).get("/api/v1/vacancies/")
    assert hr.json()["count"] == 1
    anonymous = api.get("/api/v1/vacancies/", HTTP_IF_NONE_MATCH=hr["ETag"])
    assert anonymous.status_code == 200 and anonymous.json()["count"] == 0


def test_detail_304_and_change(api: Any, alice: Any, vacancy: Vacancy) -> None:
    path = f"/api/v1/vacancies/{vacancy.reference}/"
    first = api.get(path)
    assert api.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    services.vacancy_close(actor=alice, vacancy=vacancy, reason="")
    changed = api.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["status"] == "closed"


# --- The list's rows without the serializer -------------------------------------------------


def _compare(vacancies: list[Vacancy], fields: set[str] | None = None) -> None:
    request = Request(RequestFactory().get("/api/v1/vacancies/"))
    pks = [vacancy.pk for vacancy in vacancies]
    instances = Vacancy.objects.for_list().filter(pk__in=pks).order_by("pk")
    expected = VacancySerializer(instances, many=True, context={"request": request}).data
    rows = Vacancy.objects.filter(pk__in=pks).order_by("pk").values(*COLUMNS)
    got = vacancy_rows(rows, request=request, fields=fields)
    assert len(got) == len(expected) == len(vacancies)
    for mine, theirs in zip(got, expected, strict=True):
        names = list(FIELDS) if fields is None else [name for name in FIELDS if name in fields]
        assert list(mine) == names  # the serializer's order
        for name in names:
            assert mine[name] == theirs[name], name


def test_rows_equal_the_serializer_field_by_field(
    make_vacancy: Any, alice: Any, vacancy_data: dict[str, Any]
) -> None:
    body = a_body()
    vacancies = [
        make_vacancy(),
        make_vacancy(publish=False, languages=[]),  # a draft: published null
        make_vacancy(**at_body(body)),
        make_vacancy(posts=3, languages=["en", "ru", "fr"], open_to_partners=True, grade="S1"),
    ]
    past = make_vacancy()
    Vacancy.objects.filter(pk=past.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    vacancies.append(past)  # open in the table, closed to the world
    _compare(vacancies)
    assert {vacancy.status for vacancy in Vacancy.objects.filter(pk=past.pk)} == {"open"}
    for fields in ({"reference"}, {"status", "url", "body"}, {"published", "deadline", "field_operation"}):
        _compare(vacancies, fields)


def test_api_list_equals_the_serializer(api: Any, make_vacancy: Any) -> None:
    vacancies = [make_vacancy() for _ in range(3)]
    answer = api.get("/api/v1/vacancies/?page_size=50").json()["results"]
    request = Request(RequestFactory().get("/"))
    expected = VacancySerializer(
        Vacancy.objects.for_list().order_by("deadline", "reference"), many=True, context={"request": request}
    ).data
    assert answer == [dict(row) for row in expected] and len(answer) == len(vacancies)


@pytest.mark.parametrize("model", [FieldOperation, Body])
def test_a_rename_shows_at_once(api: Any, alice: Any, make_vacancy: Any, model: Any) -> None:
    body = a_body()
    vacancy = make_vacancy(**at_body(body)) if model is Body else make_vacancy()
    name = "field_operation" if model is FieldOperation else "body"
    target = getattr(vacancy, name)
    assert api.get("/api/v1/vacancies/").json()["results"][0][name] == target.slug  # cached now
    model.objects.filter(pk=target.pk).update(slug="a-new-slug")
    assert api.get("/api/v1/vacancies/").json()["results"][0][name] == "a-new-slug"


# --- /vacancies/: the fragment cached under the versions ------------------------------------


def test_vacancies_page_shows_a_change_at_once(
    client: Any, vacancy: Vacancy, operation: FieldOperation
) -> None:
    first = client.get("/vacancies/").content.decode()
    assert vacancy.title in first and operation.name in first
    with CaptureQueriesContext(connection) as cold:
        client.get("/vacancies/?page=1")
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/vacancies/?page=1").status_code == 200
    assert len(warm) < len(cold)  # the rows are not read again
    Vacancy.objects.filter(pk=vacancy.pk).update(title="A brand new title")
    assert "A brand new title" in client.get("/vacancies/").content.decode()
    FieldOperation.objects.filter(pk=operation.pk).update(name="Renamed Mission")
    assert "Renamed Mission" in client.get("/vacancies/").content.decode()


def test_vacancies_fragment_never_crosses_roles(client: Any, alice: Any, make_vacancy: Any) -> None:
    draft = make_vacancy(publish=False, title="A private draft")
    query = "/vacancies/?status=draft"
    client.force_login(alice)
    assert draft.title in client.get(query).content.decode()
    client.logout()
    assert draft.title not in client.get(query).content.decode()
    client.force_login(alice)
    assert draft.title in client.get(query).content.decode()


def test_json_and_browsable_api_have_their_own_validators(api: Any, vacancy: Vacancy) -> None:
    as_json = api.get(LIST)
    as_html = api.get(LIST, HTTP_ACCEPT="text/html")
    assert as_html["Content-Type"].startswith("text/html") and as_html["ETag"] != as_json["ETag"]
    assert api.get(LIST, HTTP_ACCEPT="text/html", HTTP_IF_NONE_MATCH=as_json["ETag"]).status_code == 200


# --- The API's static filter form --------------------------------------------------------------


def test_the_api_vacancy_filter_form_is_built_once_and_still_validates_each_request(db: None) -> None:
    from django.utils import translation

    from secondments.filters import VacancyApiFilter

    good, bad = VacancyApiFilter({"status": "open"}), VacancyApiFilter({"status": "nonsense"})
    assert type(good.form) is type(bad.form)  # one class per process
    assert good.form.fields["status"] is bad.form.fields["status"]  # its fields shared
    assert good.is_valid() and not bad.is_valid() and "status" in bad.errors and not good.errors
    with translation.override("fr"):  # labels stay lazy: each request's language
        assert str(good.form.fields["status"].label) == "Statut"


def test_a_filter_read_from_the_request_cannot_be_static(db: None) -> None:
    import django_filters
    from django.core.exceptions import ImproperlyConfigured

    from core.filters import FilterSet

    class ByRequest(FilterSet):
        static_form = True
        state = django_filters.ModelChoiceFilter(queryset=lambda request: State.objects.all())

        class Meta:
            model = State
            fields: list[str] = []

    with pytest.raises(ImproperlyConfigured):
        ByRequest({}).form  # noqa: B018
