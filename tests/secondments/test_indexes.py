"""Every list's default order is served by an index (checked on the bench data with EXPLAIN
ANALYZE; here: with sorting priced out, the plan reads the index instead of sorting)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from secondments.models import Nomination, Secondment, Vacancy


def plan(queryset: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Vacancy.objects.order_by("deadline", "reference")[:50], "vacancy_deadline_ref_idx"),
        (
            lambda: Vacancy.objects.open().order_by("deadline", "reference")[:50],
            "vacancy_status_deadline_inc",
        ),
        (lambda: Nomination.objects.order_by("-submitted", "-id")[:50], "nomination_submitted_idx"),
        (
            lambda: Nomination.objects.filter(state="AT").order_by("-submitted", "-id")[:50],
            "nomination_state_submitted_idx",
        ),
        (lambda: Secondment.objects.order_by("end", "id")[:50], "secondment_end_idx"),
        (
            lambda: Secondment.objects.filter(state="AT").order_by("end", "id")[:50],
            "secondment_state_end_idx",
        ),
    ],
    ids=["vacancies", "open vacancies", "nominations", "a State's nominations", "secondments", "a State's"],
)
def test_list_order_reads_an_index(db: None, queryset: Any, index: str) -> None:
    text = plan(queryset())
    assert index in text and "Sort" not in text, text


def test_an_anonymous_readers_count_of_open_vacancies_reads_the_index_alone(db: None) -> None:
    """The columns a count of the open list reads, for anyone (``visible_to``: status, published;
    the filter: status, deadline), are all in ``vacancy_status_deadline_inc``: an index-only scan,
    whose cost at scale 100 stays near scale 10's (bench/README.md)."""
    from django.contrib.auth.models import AnonymousUser

    queryset = Vacancy.objects.visible_to(AnonymousUser()).open().values_list("deadline")
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_indexscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
    text = queryset.explain()
    assert "Index Only Scan using vacancy_status_deadline_inc" in text, text
