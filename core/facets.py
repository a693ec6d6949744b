"""Counts beside each filter choice of a list page (facets), as the best job boards show them.

A list view with ``FacetedListMixin`` names its facets: filter name → what to count by, a
``values()`` path (``"field_operation__slug"``, the value the choice submits) or an expression
(a function returning ``Case(...)`` for a status computed from several columns, made per request
since it depends on today). Each facet is counted over the rows the
page could show with the current filter *minus that facet*, starting from the view's
``base_queryset()`` (which starts from ``visible_to(user)``): a count never includes a row the
reader may not see. One aggregate query per facet, whatever the number of rows.

The counts are written into the choices' labels ("Vienna (12)"); choices keep their values, so the
form and its validation are unchanged.

A filter whose empty value still filters (``/states/``' ``membership`` means today's participants
when not given) names, in its FilterSet's ``facet_neutral``, the choice that filters nothing
(``{"membership": "all"}``): its facet is counted under that choice, which is labelled with the
total (the facet's expression must then split the rows into the other choices).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Expression, QuerySet
from django.http import QueryDict


def facet_counts(filterset: Any, base: QuerySet, name: str, by: str | Expression) -> dict[str, int]:
    """Rows of ``base`` per value of ``by``, under ``filterset``'s data without ``name``."""
    data = filterset.data.copy() if filterset.is_bound else QueryDict(mutable=True)
    data.pop(name, None)
    neutral = getattr(filterset, "facet_neutral", {}).get(name)
    if neutral is not None:
        data[name] = neutral
    data.pop("page", None)
    data.pop("sort", None)
    others = type(filterset)(data or None, queryset=base, request=filterset.request)
    if others.is_bound and not others.is_valid():
        return {}
    rows = others.qs.order_by()
    if not isinstance(by, str):
        rows = rows.annotate(_facet=by)
        by = "_facet"
    counted = rows.values(by).annotate(_count=Count("pk", distinct=True)).values_list(by, "_count")
    counts = {str(value): count for value, count in counted if value is not None}
    if neutral is not None:
        counts[neutral] = sum(counts.values())
    return counts


def label_choices(field: Any, counts: dict[str, int]) -> None:
    """Write ``counts`` into the labels of the form field's choices (the empty choice unchanged)."""
    labelled = []
    for value, label in field.widget.choices:
        key = str(getattr(value, "value", value))
        labelled.append((value, f"{label} ({counts.get(key, 0)})" if key else label))
    field.widget.choices = labelled


class FacetedListMixin:
    """Put a count beside each choice of the filters named in ``facets`` (see the module's doc)."""

    facets: dict[str, str | Callable[[], Expression]] = {}

    def get_facets(self) -> dict[str, str | Callable[[], Expression]]:
        """The facets to count on this request (all of ``facets`` unless a view says otherwise)."""
        return self.facets

    def facets_wanted(self, context: dict[str, Any]) -> bool:
        """False when the filter form is not rendered afresh (a cached fragment shows it)."""
        return True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        filterset = context["filter"]
        if not context.get("filter_invalid") and self.facets_wanted(context):
            self.label_facets(filterset)
        return context

    def filter_form(self) -> Any:
        """The filter form with its counts written in: for a page whose form sits in a cached
        fragment, given to the template as ``OnMiss(self.filter_form)`` (so the counts are made only
        when the fragment is rendered afresh), with ``facets_wanted`` answering False."""
        filterset = self.filterset  # type: ignore[attr-defined]
        if not self.filter_invalid:  # type: ignore[attr-defined]
            self.label_facets(filterset)
        return filterset.form

    def label_facets(self, filterset: Any) -> None:
        """Count each facet (one query each) and write the counts into the form's choices."""
        base = self.base_queryset()  # type: ignore[attr-defined]
        for name, by in self.get_facets().items():
            counts = facet_counts(filterset, base, name, by if isinstance(by, str) else by())
            label_choices(filterset.form.fields[name], counts)
