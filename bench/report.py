"""The results: medians over the runs, ratios to the limits, Markdown, JSON and an SVG chart
(pure functions: no process, no database)."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, TypedDict

from bench.wrk import WrkResult

SERVERS = ("portal", "L1", "L0")
SERVER_LABELS = {
    "portal": "portal",
    "L1": "L1: its SQL raw + orjson",
    "L0": "L0: bare Django, same bytes",
}
COLOURS = {"portal": "#1f5f99", "L1": "#d98c1f", "L0": "#6b8e23"}


class Row(TypedDict):
    target: str
    server: str
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    errors: int
    non_2xx_3xx: int
    requests: int
    queries: int | None
    ratio_l0: float | None
    ratio_l1: float | None


def summarise(target: str, server: str, runs: Sequence[WrkResult], queries: int | None) -> dict[str, Any]:
    """One (target, server): the median of the runs' req/s and percentiles, errors summed."""
    if not runs:
        raise ValueError(f"no run for {target} on {server}")

    def median(values: list[float]) -> float | None:
        return statistics.median(values) if values else None

    return {
        "target": target,
        "server": server,
        "requests_per_second": statistics.median(run["requests_per_second"] for run in runs),
        "p50_ms": median([run["latency_ms"]["50"] for run in runs if "50" in run["latency_ms"]]),
        "p99_ms": median([run["latency_ms"]["99"] for run in runs if "99" in run["latency_ms"]]),
        "errors": sum(sum(run["socket_errors"].values()) for run in runs),
        "non_2xx_3xx": sum(run["non_2xx_3xx"] for run in runs),
        "requests": sum(run["requests"] for run in runs),
        "queries": queries,
    }


def table(summaries: Sequence[Mapping[str, Any]]) -> list[Row]:
    """Rows in target order, portal then L1 then L0, with each row's ratio to its target's L0 and
    L1 (req/s over req/s)."""
    by_key = {(summary["target"], summary["server"]): summary for summary in summaries}
    targets = list(dict.fromkeys(summary["target"] for summary in summaries))
    rows: list[Row] = []
    for target in targets:
        limits = {server: by_key.get((target, server)) for server in ("L0", "L1")}
        for server in SERVERS:
            summary = by_key.get((target, server))
            if summary is None:
                continue
            rate = summary["requests_per_second"]

            def ratio(
                limit: str, rate: float = rate, server: str = server, limits: dict = limits
            ) -> float | None:
                other = limits[limit]
                if server == limit or other is None or not other["requests_per_second"]:
                    return None
                if server == "L0":  # the fastest: no ratio to the slower limit
                    return None
                return rate / other["requests_per_second"]

            rows.append(
                {
                    "target": target,
                    "server": server,
                    "requests_per_second": rate,
                    "p50_ms": summary["p50_ms"],
                    "p99_ms": summary["p99_ms"],
                    "errors": summary["errors"],
                    "non_2xx_3xx": summary["non_2xx_3xx"],
                    "requests": summary["requests"],
                    "queries": summary["queries"],
                    "ratio_l0": ratio("L0"),
                    "ratio_l1": None if server == "L1" else ratio("L1"),
                }
            )
    return rows


def data_line(data: Mapping[str, Any]) -> str:
    """What the demo data was, and how long it took to make."""
    line = f"{data['vacancies']:,} demo vacancies, {data['nominations']:,} nominations"
    if data.get("generated"):
        return line + f" (generated in {data['generation_seconds']:.0f} s)"
    if "generation_seconds" in data:
        when = data.get("generated_on", "earlier")
        return line + f" (already there: generated on {when} in {data['generation_seconds']:.0f} s)"
    return line + " (already there)"


def _number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    return f"{value:,.{digits}f}"


def _ratio(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def markdown(rows: Sequence[Row], meta: Mapping[str, Any], targets: Mapping[str, Mapping[str, Any]]) -> str:
    """The results page: what was measured, where, and the table."""
    lines = [f"# Benchmark: scale {meta['scale']}, {meta['date']}", ""]
    lines += [
        f"- command: `{meta['command']}`",
        f"- git commit: `{meta['git_commit']}`"
        + (" (with uncommitted changes)" if meta.get("git_dirty") else ""),
        f"- machine: {meta['machine']['cpu']}, {meta['machine']['cores']} cores, "
        f"{meta['machine']['ram_gib']:.1f} GiB RAM, {meta['machine']['os']}",
        "- versions: " + ", ".join(f"{name} {version}" for name, version in meta["versions"].items()),
        f"- database: {meta['database']}; data: {meta['data']}",
        f"- load: wrk {meta['wrk']['threads']} threads, {meta['wrk']['connections']} connections; "
        f"per target and server a {meta['wrk']['warmup']} s warm-up, then {meta['wrk']['runs']} runs of "
        f"{meta['wrk']['duration']} s, requests timing out after {meta['wrk'].get('timeout', 10)} s "
        "(the median is reported; errors and non-2xx/3xx are summed); before each run, every server "
        "is left to finish the requests still in flight",
        f"- servers: {meta['servers']}",
    ]
    if meta.get("longer_runs"):
        lines.append(
            "- runs lengthened where the warm-up saw fewer answers than connections (to three times a "
            "request's time then, at most the timeout): "
            + ", ".join(f"{name} ({seconds:.0f} s)" for name, seconds in meta["longer_runs"].items())
        )
    if meta.get("load_average"):
        load = meta["load_average"]
        lines.append(
            f"- the machine's 1-minute load average: {load['before']} before, {load['after']} after "
            "(anything above the bench's own load means other work shared the cores)"
        )
    lines += [
        "",
        "| target | server | req/s | p50 ms | p99 ms | errors | non-2xx/3xx | queries/req | × L0 | × L1 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{row['target']}`" if row["server"] == "portal" else "",
                    row["server"],
                    _number(row["requests_per_second"]),
                    _number(row["p50_ms"]),
                    _number(row["p99_ms"]),
                    str(row["errors"]),
                    str(row["non_2xx_3xx"]),
                    "" if row["queries"] is None else str(row["queries"]),
                    _ratio(row["ratio_l0"]),
                    _ratio(row["ratio_l1"]),
                ]
            )
            + " |"
        )
    lines += [
        "",
        "× L0 and × L1: the row's req/s over its target's L0 and L1 req/s. L0 answers the very bytes the "
        "portal answered; L1 runs the very statements the portal ran for one such request (captured "
        "through Django's execute wrapper) on a persistent psycopg2 connection per thread, rows encoded "
        "with orjson" + (f"; {meta['l1_writes']}" if meta.get("l1_writes") else "") + ".",
        "",
        "| target | request | status | body bytes |",
        "| --- | --- | ---: | ---: |",
    ]
    for name, target in targets.items():
        lines.append(
            f"| `{name}` | {target['method']} `{target['path']}`"
            + (f" ({target['note']})" if target.get("note") else "")
            + f" | {target['status']} | {target['body_bytes']:,} |"
        )
    lines += ["", "![req/s by target](chart.svg)", ""]
    return "\n".join(lines)


def to_json(rows: Sequence[Row], meta: Mapping[str, Any], targets: Mapping[str, Any], raw: Any) -> str:
    return json.dumps({"meta": meta, "targets": targets, "rows": rows, "runs": raw}, indent=2, default=str)


def _rate(rate: float) -> str:
    return f"{rate:,.1f}" if rate < 10 else f"{rate:,.0f}"


def svg_chart(rows: Sequence[Row], title: str) -> str:
    """Horizontal bars of req/s on a logarithmic axis: per target, the portal, L1 and L0."""
    targets = list(dict.fromkeys(row["target"] for row in rows))
    rates = {(row["target"], row["server"]): row["requests_per_second"] for row in rows}
    top = max([rate for rate in rates.values() if rate > 0] or [1.0])
    decades = max(1, math.ceil(math.log10(top)))
    left, right, bar, gap, head = 190, 90, 14, 14, 60
    width = 900
    plot = width - left - right
    height = head + len(targets) * (3 * bar + gap) + 40

    def x(rate: float) -> float:
        return left + plot * (math.log10(max(rate, 1.0)) / decades)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for index, server in enumerate(SERVERS):
        parts.append(
            f'<rect x="{left + index * 230}" y="32" width="12" height="12" fill="{COLOURS[server]}"/>'
            f'<text x="{left + index * 230 + 16}" y="42">{escape(SERVER_LABELS[server])}</text>'
        )
    for decade in range(decades + 1):
        position = left + plot * decade / decades
        parts.append(
            f'<line x1="{position:.1f}" y1="{head - 6}" x2="{position:.1f}" y2="{height - 30}" '
            'stroke="#ccc"/>'
            f'<text x="{position:.1f}" y="{height - 14}" text-anchor="middle">{10**decade:,}</text>'
        )
    parts.append(f'<text x="{left + plot / 2}" y="{height - 1}" text-anchor="middle">req/s (log)</text>')
    y = head
    for target in targets:
        parts.append(
            f'<text x="{left - 8}" y="{y + 1.5 * bar + 4}" text-anchor="end">{escape(target)}</text>'
        )
        for offset, server in enumerate(SERVERS):
            rate = rates.get((target, server))
            if rate is None:
                continue
            top_y = y + offset * bar
            label = f"{escape(target)} {server}: {_rate(rate)} req/s"
            parts.append(
                f'<rect x="{left}" y="{top_y}" width="{x(rate) - left:.1f}" height="{bar - 2}" '
                f'fill="{COLOURS[server]}"><title>{label}</title></rect>'
                f'<text x="{x(rate) + 4:.1f}" y="{top_y + bar - 4}" font-size="10">{_rate(rate)}</text>'
            )
        y += 3 * bar + gap
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
