"""Is a worker's memory steady over 100,000 requests? (issue 13: "worker memory steady").

Drives the portal's own WSGI application in this process (the code a granian worker runs, without
the server) through a mix of the benchmark's requests, round after round, and samples the process's
resident memory (RSS, from /proc/self/statm) every ``--every`` requests. Anything kept per request
that is never let go (an unbounded cache, a list of queries kept with DEBUG on...) shows as RSS
still growing in the second half of the run; the per-process caches are bounded
(``fragments``: 2,000 entries, ``pages``: 500, ``answers``: 300, the door's kept answers and pages
``DOOR_BYTES``; reference tables: one copy per table).

    DATABASE_URL=… REDIS_URL=… python -m bench.memory --requests 100000

Needs the benchmark's data (``make bench`` makes it) and the same settings as ``make run``
(``OSCE_LOCAL_INSTALL=1``, raised API throttles: set here). Prints a table and the verdict: the
growth over the second half must stay under ``--bound-mb`` (default 8 MiB).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from typing import Any

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=10_000, help="sample RSS every N requests")
    parser.add_argument("--bound-mb", type=float, default=8.0, help="allowed growth over the second half")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_portal.settings.base")
    os.environ.setdefault("OSCE_LOCAL_INSTALL", "1")
    os.environ.setdefault("API_THROTTLE_ANON", "100000000/min")
    os.environ.setdefault("API_THROTTLE_USER", "100000000/min")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    from osce_portal.wsgi import application  # the door of kept answers in front of Django's handler
    from secondments.models import Vacancy

    references = list(
        Vacancy.objects.filter(status=Vacancy.Status.OPEN)
        .order_by("pk")
        .values_list("reference", flat=True)[:500]
    )
    if not references:
        print("no open vacancies: run `make bench` first to generate the data", file=sys.stderr)
        return 2

    def call(path: str, headers: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
        route, _, query = path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        answer: dict[str, Any] = {}

        def start_response(
            status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
        ) -> None:
            answer["status"], answer["headers"] = status, dict(response_headers)

        body = application(environ, start_response)  # type: ignore[arg-type]
        for _chunk in body:
            pass
        getattr(body, "close", lambda: None)()
        return answer["status"], answer["headers"]

    _status, headers = call("/api/v1/vacancies/?page_size=50&status=open")
    etag = headers.get("ETag", "")
    languages = ("en", "fr", "de", "it", "ru", "es")

    def request(number: int) -> None:
        kind = number % 6
        if kind == 0:
            call("/api/v1/vacancies/?page_size=50&status=open")
        elif kind == 1:
            call("/api/v1/vacancies/?page_size=50&status=open", {"If-None-Match": etag})
        elif kind == 2:
            call(f"/api/v1/vacancies/{references[number % len(references)]}/")
        elif kind == 3:
            call(f"/vacancies/?page={1 + number % 20}", {"Accept-Language": languages[number % 6]})
        elif kind == 4:
            call("/missions/", {"Accept-Language": languages[number % 6]})
        else:
            call(f"/api/v1/vacancies/?page={1 + number % 40}&page_size=20")

    samples: list[tuple[int, float, float]] = [(0, rss_mib(), 0.0)]
    started = time.monotonic()
    print(f"{'requests':>9} {'RSS MiB':>9} {'seconds':>8}")
    print(f"{0:>9,} {samples[0][1]:>9.1f} {0:>8.0f}")
    for number in range(1, args.requests + 1):
        request(number)
        if number % args.every == 0:
            sample = (number, rss_mib(), time.monotonic() - started)
            samples.append(sample)
            print(f"{sample[0]:>9,} {sample[1]:>9.1f} {sample[2]:>8.0f}", flush=True)
    half = min(samples, key=lambda sample: abs(sample[0] - args.requests // 2))
    growth = samples[-1][1] - half[1]
    print(
        f"RSS {samples[0][1]:.1f} MiB at start, {half[1]:.1f} MiB after {half[0]:,} requests, "
        f"{samples[-1][1]:.1f} MiB after {samples[-1][0]:,}: {growth:+.1f} MiB over the second half "
        f"(bound {args.bound_mb:.0f} MiB)"
    )
    return 0 if growth <= args.bound_mb else 1


if __name__ == "__main__":
    raise SystemExit(main())
