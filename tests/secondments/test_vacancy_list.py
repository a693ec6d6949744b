"""/vacancies/ like the best job boards (issue 11 part 5): counts beside the filter choices, a sort
order, "closing soon", "save this search"; required languages named in the reader's language."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from secondments.models import SavedSearch, Vacancy


def _options(page: str, name: str) -> dict[str, str]:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_counts_beside_the_choices_follow_the_other_filters(client: Client, make_vacancy: Any) -> None:
    make_vacancy(grade="S2")
    make_vacancy(grade="S2")
    make_vacancy(grade="S3", appointment="seconded")
    make_vacancy(grade="P3", appointment="contracted")
    page = client.get("/vacancies/").content.decode()
    grades = _options(page, "grade")
    assert grades["S2"].endswith("(2)") and grades["S3"].endswith("(1)") and grades["P3"].endswith("(1)")
    assert grades["D1"].endswith("(0)")
    assert _options(page, "appointment")["seconded"].endswith("(3)")
    # Filtered to contracted posts: the grade counts follow; the appointment counts do not (its own facet).
    page = client.get("/vacancies/?appointment=contracted").content.decode()
    assert _options(page, "grade")["S2"].endswith("(0)") and _options(page, "grade")["P3"].endswith("(1)")
    assert _options(page, "appointment")["seconded"].endswith("(3)")


def test_counts_never_include_what_the_reader_may_not_see(
    client: Client, alice: Any, make_vacancy: Any
) -> None:
    make_vacancy(grade="S2")
    make_vacancy(publish=False, grade="S2")  # a draft: HR's only
    assert _options(client.get("/vacancies/?status=draft").content.decode(), "grade")["S2"].endswith("(0)")
    assert _options(client.get("/vacancies/").content.decode(), "status")["draft"].endswith("(0)")
    client.force_login(alice)
    assert _options(client.get("/vacancies/").content.decode(), "status")["draft"].endswith("(1)")


def test_the_status_count_knows_a_passed_deadline_is_closed(
    client: Client, alice: Any, make_vacancy: Any
) -> None:
    make_vacancy()
    passed = make_vacancy()
    Vacancy.objects.filter(pk=passed.pk).update(deadline=_in(-1))  # the task has not closed it yet
    client.force_login(alice)
    statuses = _options(client.get("/vacancies/").content.decode(), "status")
    assert statuses["open"].endswith("(1)") and statuses["closed"].endswith("(1)")


def test_labels_say_any_and_are_capitalised(client: Client, make_vacancy: Any) -> None:
    make_vacancy()
    page = client.get("/vacancies/").content.decode()
    assert "---------" not in page
    labels = re.findall(r'<label for="id_[a-z_]+">([^<]+)</label>', page)
    assert labels and all(label[0].isupper() for label in labels), labels


def test_sort(client: Client, make_vacancy: Any) -> None:
    late = make_vacancy(deadline=_in(40))
    soon = make_vacancy(deadline=_in(5))
    page = client.get("/vacancies/?sort=deadline").content.decode()
    assert page.index(soon.reference) < page.index(late.reference)
    page = client.get("/vacancies/?sort=-deadline").content.decode()
    assert page.index(late.reference) < page.index(soon.reference)
    assert client.get("/vacancies/?sort=salary").status_code == 400


def test_closing_soon(client: Client, make_vacancy: Any) -> None:
    late = make_vacancy(deadline=_in(40))
    soon = make_vacancy(deadline=_in(2))
    page = client.get("/vacancies/").content.decode()
    assert page.count("closing soon</span>") == 1
    page = client.get("/vacancies/?closing=7").content.decode()
    assert soon.reference in page and late.reference not in page
    assert client.get("/vacancies/?closing=8").status_code == 400


def test_save_this_search(client: Client, bob: Any, make_vacancy: Any) -> None:
    make_vacancy()
    assert "Log in to save this search" in client.get("/vacancies/?grade=S2").content.decode()
    client.force_login(bob)
    page = client.get("/vacancies/?grade=S2&sort=deadline").content.decode()
    assert '<input type="hidden" name="grade" value="S2">' in page
    response = client.post("/vacancies/searches/", {"grade": "S2", "name": "S2 posts", "frequency": "daily"})
    assert response.status_code == 302
    assert SavedSearch.objects.get(user=bob).query == {"grade": "S2"}


def test_required_languages_in_the_reader_s_language(client: Client, make_vacancy: Any) -> None:
    vacancy = make_vacancy(languages=["ru", "fr"])
    page = client.get(f"/vacancies/{vacancy.reference}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "russe, français" in page
    page = client.get(f"/vacancies/{vacancy.reference}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Russisch, Französisch" in page


def test_constant_queries_with_facets(
    client: Client, make_vacancy: Any, django_assert_num_queries: Any
) -> None:
    make_vacancy()
    # the tables' versions (the fragments' key) + count + page + 4 filter choice lists + 7 facet
    # counts
    with django_assert_num_queries(14):
        assert client.get("/vacancies/?grade=S2&sort=title").status_code == 200
    for _ in range(5):
        make_vacancy(grade="S2")
    with django_assert_num_queries(14):
        assert client.get("/vacancies/?grade=S2&sort=title").status_code == 200
    # Nothing changed since: both fragments and the row count come from this process's caches,
    # under the versions read first (the one query).
    with django_assert_num_queries(1):
        assert client.get("/vacancies/?grade=S2&sort=title").status_code == 200


def test_the_count_and_rows_change_the_moment_a_vacancy_does(
    client: Client, alice: Any, make_vacancy: Any
) -> None:
    from secondments import services

    first = make_vacancy(title="Border monitoring officer")
    page = client.get("/vacancies/?page=1").content.decode()
    assert "Border monitoring officer" in page and "1 vacancy<" in page
    second = make_vacancy(title="Election adviser")
    page = client.get("/vacancies/?page=1").content.decode()
    assert "Election adviser" in page and "Border monitoring officer" in page and "2 vacancies<" in page
    services.vacancy_cancel(actor=alice, vacancy=first, reason="Post frozen")
    services.vacancy_cancel(actor=alice, vacancy=second, reason="Post frozen")
    page = client.get("/vacancies/?page=1").content.decode()
    assert "Election adviser" not in page and "Border monitoring officer" not in page
    assert "0 vacancies<" in page
