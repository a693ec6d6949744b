"""A small staff-over-time chart, computed here and drawn as inline SVG by the template (no JS)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WIDTH = 640
HEIGHT = 220
MARGIN_LEFT = 48
MARGIN_BOTTOM = 36
MARGIN_TOP = 12
MAX_BARS = 24


def _nice_max(value: int) -> int:
    """The axis maximum: the next round number at or above ``value``."""
    if value <= 10:
        return 10
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = int(step * magnitude)
        if candidate >= value:
            return candidate
    return value  # pragma: no cover - the loop always returns


def staff_chart(figures: Sequence[Any]) -> dict[str, Any] | None:
    """Stacked bars (international, local) per date of figures, the last ``MAX_BARS`` dates.

    Returns None when there is nothing to draw. Coordinates are in the SVG's own units.
    """
    rows = list(figures)[-MAX_BARS:]
    if not rows:
        return None
    top = _nice_max(max(row.total_staff for row in rows))
    plot_width = WIDTH - MARGIN_LEFT - 8
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_width / len(rows)
    bar = max(min(slot * 0.6, 48), 4)
    base = MARGIN_TOP + plot_height
    bars = []
    for index, row in enumerate(rows):
        x = MARGIN_LEFT + index * slot + (slot - bar) / 2
        international = row.international_staff * plot_height / top
        local = row.local_staff * plot_height / top
        bars.append(
            {
                "label": row.as_of.isoformat(),
                "short": row.as_of.strftime("%Y") if len(rows) > 6 else row.as_of.strftime("%Y-%m"),
                "x": round(x, 1),
                "width": round(bar, 1),
                "label_x": round(x + bar / 2, 1),
                "international": row.international_staff,
                "local": row.local_staff,
                "total": row.total_staff,
                "international_y": round(base - international, 1),
                "international_height": round(international, 1),
                "local_y": round(base - international - local, 1),
                "local_height": round(local, 1),
            }
        )
    ticks = [
        {"value": int(top * step / 4), "y": round(base - plot_height * step / 4, 1)} for step in range(5)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": MARGIN_LEFT,
        "right": WIDTH - 8,
        "base": base,
        "label_y": base + 18,
        "legend_y": HEIGHT - 4,
        "bars": bars,
        "ticks": ticks,
    }
