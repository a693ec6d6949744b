"""The ``sort`` parameter of list pages and the API: a choice among named orders, nothing else.

``SortFilter({"deadline": (_("Deadline, soonest first"), ("deadline", "id")), ...})`` accepts only
those values (anything else is a form error: 400), and orders the rows by the chosen columns. An
order that depends on the request (the States' names in the page's language) is given as a
function returning the columns, called when that order is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

Columns = tuple[Any, ...]  # field names ("-deadline") or expressions


class SortFilter(django_filters.ChoiceFilter):
    """``?sort=<name>``: one of the orders given; no value keeps the list's own order."""

    def __init__(self, orders: dict[str, tuple[Any, Columns | Callable[[], Columns]]], **kwargs: Any) -> None:
        self.orders = {name: columns for name, (_label, columns) in orders.items()}
        kwargs.setdefault("label", _("Sort by"))
        kwargs.setdefault("empty_label", _("default order"))
        kwargs["choices"] = [(name, label) for name, (label, _columns) in orders.items()]
        super().__init__(**kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        columns = self.orders[value]
        columns = columns() if callable(columns) else columns
        if not all(_available(qs, column) for column in columns):
            return qs  # an order by what another filter adds (a search's rank) without that filter
        return qs.order_by(*columns)


def _available(qs: QuerySet, column: Any) -> bool:
    """Whether ``qs`` can be ordered by ``column``: a field, or an annotation it carries."""
    if not isinstance(column, str):
        return True
    name = column.lstrip("-").split("__")[0]
    if name == "pk" or name in qs.query.annotations:
        return True
    try:
        qs.model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
