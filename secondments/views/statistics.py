"""HR's statistics of nominations and selections."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.generic import TemplateView

from secondments import policies, statistics


class StatisticsView(TemplateView):
    """Nominations and selections per State, gender and grade; vacancies short of nominations or
    extended; as a table, a chart and CSV."""

    template_name = "secondments/statistics.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.vacancy_manage(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if kwargs.get("fmt") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="secondment-statistics.csv"'
            writer = csv.writer(response)
            writer.writerow(["state", "gender", "grade", "nominations", "selections"])
            for row in statistics.nomination_rows():
                writer.writerow([row.state, row.gender, row.grade, row.nominations, row.selections])
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = statistics.nomination_rows()
        by_state: dict[str, dict[str, int]] = {}
        for row in rows:
            entry = by_state.setdefault(row.state, {"nominations": 0, "selections": 0})
            entry["nominations"] += row.nominations
            entry["selections"] += row.selections
        peak = max((entry["nominations"] for entry in by_state.values()), default=0) or 1
        context["rows"] = rows
        context["by_state"] = [
            {"state": state, **entry, "width": round(100 * entry["nominations"] / peak)}
            for state, entry in sorted(by_state.items())
        ]
        context["shares"] = statistics.vacancy_shares()
        return context
