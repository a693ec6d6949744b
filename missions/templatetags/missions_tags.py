"""Template helpers of the missions pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def precise_date(value: datetime.date | None, precision: str = "day") -> str:
    """A date shown only as far as it is known: ``1993``, ``June 2008`` or ``4 February 1993``."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def euros(value: object) -> str:
    """An amount in euros with thousands separators and no cents when there are none."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if number == int(number):
        return f"€ {int(number):,}".replace(",", "\u202f")
    return f"€ {number:,.2f}".replace(",", "\u202f")


@register.filter
def get_item(mapping: object, key: object) -> object:
    """``mapping[key]`` or None (for per-row forms kept in a dict)."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None
