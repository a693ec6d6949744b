"""The benchmark harness's pure parts (wrk's output parsed, the table, the chart) and its SQL
capture on one endpoint through the test client. No wrk and no server run here: `make bench` does."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from bench import capture, prepare, report, wrk

WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:8000/api/v1/vacancies/?page_size=50&status=open
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   318.71ms   45.10ms   1.02s    72.41%
    Req/Sec    25.13     10.50    50.00     64.00%
  Latency Distribution
     50%  312.34ms
     75%  340.11ms
     90%  378.45ms
     99%  980.21ms
  250 requests in 5.01s, 10.66MB read
  Socket errors: connect 0, read 2, write 0, timeout 12
  Non-2xx or 3xx responses: 3
Requests/sec:     49.90
Transfer/sec:      2.13MB
"""

FAST_OUTPUT = """\
Running 5s test @ http://127.0.0.1:8001/l0/api-list
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   650.00us  210.00us   9.80ms   91.00%
    Req/Sec     7.30k   400.00     8.10k    70.00%
  Latency Distribution
     50%  612.00us
     75%  700.00us
     90%    0.90ms
     99%    2.10ms
  72900 requests in 5.00s, 3.05GB read
Requests/sec:  14580.00
Transfer/sec:    624.00MB
"""


def test_wrk_output_parsed() -> None:
    result = wrk.parse(WRK_OUTPUT)
    assert result["requests"] == 250
    assert result["seconds"] == pytest.approx(5.01)
    assert result["requests_per_second"] == pytest.approx(49.90)
    assert result["latency_ms"] == pytest.approx(
        {"avg": 318.71, "max": 1020.0, "50": 312.34, "75": 340.11, "90": 378.45, "99": 980.21}
    )
    assert result["socket_errors"] == {"connect": 0, "read": 2, "write": 0, "timeout": 12}
    assert result["non_2xx_3xx"] == 3
    assert result["bytes_read"] == round(10.66 * 1024**2)
    # Microseconds, no error lines, gigabytes.
    fast = wrk.parse(FAST_OUTPUT)
    assert fast["requests_per_second"] == 14580.0
    assert fast["latency_ms"]["50"] == pytest.approx(0.612)
    assert fast["latency_ms"]["99"] == pytest.approx(2.1)
    assert fast["socket_errors"] == {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    assert fast["non_2xx_3xx"] == 0
    with pytest.raises(ValueError):
        wrk.parse("unable to connect to 127.0.0.1:8000 Connection refused")


def test_wrk_command_line() -> None:
    argv = wrk.command(
        "http://127.0.0.1:8000/api/v1/vacancies/VNSECS00001/nominations/",
        duration=5,
        connections=16,
        threads=2,
        headers={"Authorization": "Bearer abc"},
        script=wrk.NOMINATE_SCRIPT,
        script_args=["run1", "AT"],
    )
    assert argv == [
        "wrk",
        "-t2",
        "-c16",
        "-d5s",
        "--timeout=10s",
        "--latency",
        "-H",
        "Authorization: Bearer abc",
        "-s",
        str(wrk.NOMINATE_SCRIPT),
        "http://127.0.0.1:8000/api/v1/vacancies/VNSECS00001/nominations/",
        "--",
        "run1",
        "AT",
    ]
    assert wrk.command("http://x/", duration=0.5, connections=1, threads=1)[3] == "-d500ms"
    # The nomination script sends a distinct e-mail each request: run id, thread and counter.
    script = Path(wrk.NOMINATE_SCRIPT).read_text()
    assert "bench.%s.%d.%d@example.org" in script and "counter = counter + 1" in script


def _run(
    rate: float, p50: float = 10.0, p99: float = 50.0, non_ok: int = 0, timeouts: int = 0
) -> wrk.WrkResult:
    return {
        "requests": int(rate * 5),
        "seconds": 5.0,
        "requests_per_second": rate,
        "latency_ms": {"50": p50, "99": p99},
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": timeouts},
        "non_2xx_3xx": non_ok,
        "bytes_read": 0,
    }


def test_table_medians_ratios_markdown_json_and_chart() -> None:
    summaries = [
        report.summarise("api-list", "portal", [_run(50, 300), _run(40, 400, timeouts=1), _run(60, 200)], 2),
        report.summarise("api-list", "L1", [_run(250)], 2),
        report.summarise("api-list", "L0", [_run(5000, 1, 4)], 0),
        report.summarise("api-detail", "portal", [_run(100, non_ok=2)], 1),
    ]
    rows = report.table(summaries)
    assert [(row["target"], row["server"]) for row in rows] == [
        ("api-list", "portal"),
        ("api-list", "L1"),
        ("api-list", "L0"),
        ("api-detail", "portal"),
    ]
    portal, l1, l0, detail = rows
    assert portal["requests_per_second"] == 50  # the median run
    assert portal["p50_ms"] == 300
    assert portal["errors"] == 1
    assert portal["requests"] == 750
    assert portal["ratio_l0"] == pytest.approx(0.01)
    assert portal["ratio_l1"] == pytest.approx(0.2)
    assert l1["ratio_l0"] == pytest.approx(0.05) and l1["ratio_l1"] is None
    assert l0["ratio_l0"] is None and l0["ratio_l1"] is None
    assert detail["ratio_l0"] is None and detail["non_2xx_3xx"] == 2  # no limits measured
    meta = {
        "scale": "10",
        "date": "2026-01-01 10:00 CET",
        "command": "make bench",
        "git_commit": "abc",
        "machine": {"cpu": "CPU", "cores": 2, "ram_gib": 8.0, "os": "Linux"},
        "versions": {"Python": "3.12"},
        "database": "embedded",
        "data": "10,000 demo vacancies",
        "wrk": {"threads": 2, "connections": 16, "duration": 5, "runs": 3, "warmup": 2},
        "servers": "granian",
    }
    targets = {"api-list": {"method": "GET", "path": "/api/v1/vacancies/", "status": 200, "body_bytes": 42}}
    text = report.markdown(rows, meta, targets)
    assert "| `api-list` | portal | 50.0 | 300.0 | 50.0 | 1 | 0 | 2 | 0.010 | 0.200 |" in text
    assert "|  | L1 | 250.0 | 10.0 | 50.0 | 0 | 0 | 2 | 0.050 |  |" in text
    assert "`make bench`" in text and "2 cores" in text
    loaded = json.loads(report.to_json(rows, meta, targets, {"api-list": {}}))
    assert loaded["rows"][0]["ratio_l1"] == pytest.approx(0.2)
    svg = ET.fromstring(report.svg_chart(rows, "title"))
    bars = [
        rect for rect in svg.iter("{http://www.w3.org/2000/svg}rect") if rect.find("{*}title") is not None
    ]
    assert len(bars) == 4
    widths = {bar.find("{*}title").text: float(bar.get("width")) for bar in bars}  # type: ignore[union-attr,arg-type]
    assert (
        widths["api-list L0: 5,000 req/s"]
        > widths["api-list L1: 250 req/s"]
        > widths["api-list portal: 50 req/s"]
    )


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_reference_data", stdout=StringIO())
    call_command("generate_demo_data", "--scale", "0.02", "--nominations-per-vacancy", "2", stdout=StringIO())


def test_capture_gives_the_statements_the_portal_ran_and_l1_runs_them(demo: None, wsgi: Any) -> None:
    with CaptureQueriesContext(connection) as django_queries:
        response, statements = capture.request("GET", prepare.LIST_PATH)
    assert response.status_code == 200
    # The very statements (parameters interpolated as psycopg2 sent them), the same as Django's own log.
    assert statements == [query["sql"] for query in django_queries.captured_queries]
    assert len(statements) >= 2 and not any("%s" in sql for sql in statements)
    assert not any(capture.is_write(sql) for sql in statements)
    # L1 runs them raw: the page's rows and the count come back, encoded by orjson.
    from bench.limits import l0, run_statements

    results = orjson.loads(run_statements(connection.connection, statements))
    page = orjson.loads(response.content)
    assert any(len(rows) == len(page["results"]) > 0 for rows in results)
    assert [[page["count"]]] in results
    # L0 answers the very bytes, status, type and ETag it is given.
    from bench import limits

    limits.BODIES["t"] = (304, b"", "application/json", '"abc"')
    answer = l0(RequestFactory().get("/l0/t"), "t")
    assert answer.status_code == 304 and answer["ETag"] == '"abc"' and answer.content == b""
    # The data check of the harness: this scale is there, another is not.
    assert prepare.data_present(0.02, 2)[0]
    assert not prepare.data_present(0.03, 2)[0]
    assert not prepare.data_present(0.02, 10)[0]


def test_writes_are_told_apart() -> None:
    assert capture.is_write('INSERT INTO "x" VALUES (1)')
    assert capture.is_write('SAVEPOINT "s1"')
    assert capture.is_write('SELECT 1 FROM "v" WHERE id = 1 FOR UPDATE OF "v"')
    assert not capture.is_write('SELECT "v"."id" FROM "v" WHERE "v"."title" = \'INSERT\'')


def test_runs_lengthened_for_requests_slower_than_a_run() -> None:
    assert wrk.run_seconds(5, 60, 16, 500, 2) == 5
    # Fewer answers than connections in the warm-up: three times a request's time (16 x 2 s / 4).
    assert wrk.run_seconds(5, 60, 16, 4, 2) == 24
    assert wrk.run_seconds(5, 60, 16, 1, 2) == 60  # at most the timeout
    assert wrk.run_seconds(5, 60, 16, 0, 2) == 60  # nothing answered
    assert wrk.run_seconds(5, 60, 16, None, 0) == 5  # no warm-up
    assert wrk.run_seconds(90, 60, 16, 0, 2) == 90


def test_data_line() -> None:
    counts = {"vacancies": 100000, "nominations": 954413}
    assert report.data_line({**counts, "generated": True, "generation_seconds": 378.2}) == (
        "100,000 demo vacancies, 954,413 nominations (generated in 378 s)"
    )
    assert report.data_line(
        {**counts, "generated": False, "generation_seconds": 378.2, "generated_on": "2026-11-30 06:48 UTC"}
    ).endswith("(already there: generated on 2026-11-30 06:48 UTC in 378 s)")
    assert report.data_line({**counts, "generated": False}).endswith("(already there)")
