"""Statistics of the secondment cycle: nominations and selections per State, gender and grade; the
share of vacancies that closed short of nominations or were extended."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from secondments.models import DeadlineExtension, Nomination, Vacancy


@dataclass
class Row:
    state: str
    gender: str
    grade: str
    nominations: int
    selections: int


def nomination_rows() -> list[Row]:
    """Nominations (not withdrawn) and selections grouped by State (or Partner), gender and grade:
    one query."""
    rows = (
        Nomination.objects.exclude(status=Nomination.Status.WITHDRAWN)
        .annotate(code=Coalesce("state_id", "partner_id"))
        .values("code", "gender", "vacancy__grade")
        .annotate(
            nominations=Count("id"),
            selections=Count("id", filter=Q(status=Nomination.Status.SELECTED)),
        )
        .order_by("code", "gender", "vacancy__grade")
    )
    return [
        Row(row["code"], row["gender"], row["vacancy__grade"], row["nominations"], row["selections"])
        for row in rows
    ]


def vacancy_shares() -> dict[str, float | int]:
    """Of the vacancies past their nomination period (closed or filled): how many closed with
    fewer nominations than posts, and how many were extended. One query (a row per vacancy, summed here)."""
    done = Vacancy.objects.filter(status__in=[Vacancy.Status.CLOSED, Vacancy.Status.FILLED]).annotate(
        received=Count("nominations", filter=~Q(nominations__status=Nomination.Status.WITHDRAWN)),
        extended=Exists(DeadlineExtension.objects.filter(vacancy=OuterRef("pk"))),
    )
    totals = {"total": 0, "short": 0, "extended": 0}
    for posts, received, extended in done.values_list("posts", "received", "extended"):
        totals["total"] += 1
        totals["short"] += received < posts
        totals["extended"] += bool(extended)
    total = totals["total"] or 0
    return {
        "total": total,
        "short": totals["short"],
        "extended": totals["extended"],
        "short_share": round(100 * totals["short"] / total, 1) if total else 0.0,
        "extended_share": round(100 * totals["extended"] / total, 1) if total else 0.0,
    }
