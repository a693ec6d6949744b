"""The CPU one page costs the portal's process, measured in process (no server, no wrk).

On a shared machine wrk's req/s move with whatever else runs; the CPU time this process spends on
a request (``time.process_time()``) hardly does. The script loads each page ``-n`` times through
``django.test.Client`` (the whole middleware stack, templates, the database round trips; the
database server's own CPU is not counted) after a warm-up, and prints the CPU and wall time per
request, the queries one request runs and the body size. ``--wsgi`` makes the requests through the
portal's WSGI application instead, as the server calls it: the door of kept answers
(``core.door``) in front of Django's handler. ``--cold`` empties the page-fragment cache, kept
pages and answers before each request (every request a miss); ``--profile [N]`` prints
cProfile's top functions of one more request (of N more, summed).

    DATABASE_URL=postgresql://... python -m bench.inprocess /missions/ /missions/centre-in-ashgabat/ \
        -n 200 [--cold] [--profile]

Run it with the portal's environment on a database holding the demo data (``make bench`` makes
it, or ``manage.py migrate``, ``load_reference_data`` and ``generate_demo_data --scale 1``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from typing import Any


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_portal.settings.base")
    os.environ.setdefault("OSCE_LOCAL_INSTALL", "1")  # as make bench's capture: plain HTTP, no redirect
    import django

    django.setup()


def _client(username: str, language: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", headers={"Accept-Language": language})
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


class WsgiClient:
    """``--wsgi``: requests through the portal's WSGI application, as the server makes them (the
    door of kept answers, ``core.door``, in front of Django's handler), with the test client's
    cookies (a signed-in ``--user``'s session)."""

    def __init__(self, client: Any, language: str) -> None:
        from osce_portal.wsgi import application

        self.application = application
        self.language = language
        self.cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())

    def get(self, path: str, **extra: str) -> Any:
        from bench.capture import wsgi_request

        headers = {"Accept-Language": self.language}
        if self.cookie:
            headers["Cookie"] = self.cookie
        headers.update({key.removeprefix("HTTP_").replace("_", "-"): value for key, value in extra.items()})
        return wsgi_request(self.application, "GET", path, headers=headers)


def _clear_fragments() -> None:
    """Every per-process cache of rendered work: fragments, whole pages, kept API answers."""
    from django.core.cache import caches

    from core.door import store

    for alias in ("fragments", "pages", "answers"):
        caches[alias].clear()
    store.clear()


def _conditional(client: Any, path: str) -> dict[str, str]:
    """``If-None-Match`` with the ETag ``path`` answers now (the request a polling client sends)."""
    tag = client.get(path).get("ETag")
    return {"HTTP_IF_NONE_MATCH": tag} if tag else {}


def measure(
    client: Any, path: str, *, count: int, warmup: int, cold: bool, conditional: bool = False
) -> dict[str, Any]:
    """CPU and wall seconds per request over ``count`` requests of ``path``, after ``warmup``."""
    from bench.capture import statements

    extra = _conditional(client, path) if conditional else {}
    for _ in range(warmup):
        if cold:
            _clear_fragments()
        client.get(path, **extra)
    if cold:
        _clear_fragments()
    with statements() as queries:  # as make bench counts them
        response = client.get(path, **extra)
    cpu = wall = 0.0
    for _ in range(count):
        if cold:
            _clear_fragments()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        client.get(path, **extra)
        cpu += time.process_time() - cpu_start
        wall += time.perf_counter() - wall_start
    return {
        "path": path,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(queries),
        "cpu_ms": cpu * 1000 / count,
        "wall_ms": wall * 1000 / count,
    }


def profile(client: Any, path: str, *, requests: int, cold: bool, top: int, conditional: bool = False) -> str:
    """cProfile's ``top`` functions by cumulative and by own time over ``requests`` requests of
    ``path`` (one is what one request costs; a hundred smooth out a pause of the machine)."""
    extra = _conditional(client, path) if conditional else {}
    profiler = cProfile.Profile()
    for _ in range(requests):
        if cold:
            _clear_fragments()
        profiler.enable()
        client.get(path, **extra)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["/missions/", "/missions/centre-in-ashgabat/"])
    parser.add_argument("-n", "--count", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="requests before measuring")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the caches of fragments, whole pages and API answers before each request",
    )
    parser.add_argument(
        "--conditional", action="store_true", help="send If-None-Match with the page's current ETag (a 304)"
    )
    parser.add_argument(
        "--wsgi",
        action="store_true",
        help="through the portal's WSGI application as the server calls it (the door of kept answers "
        "in front of Django's handler), not the test client",
    )
    parser.add_argument("--user", default="", help="log in as this username (default: anonymous)")
    parser.add_argument("--language", default="en", help="Accept-Language (default: en)")
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=1,
        default=0,
        metavar="REQUESTS",
        help="print the profile of one request per page (or of REQUESTS requests, summed)",
    )
    parser.add_argument("--top", type=int, default=25, help="functions in each profile listing")
    args = parser.parse_args(argv)
    _django()
    client = _client(args.user, args.language)
    if args.wsgi:
        client = WsgiClient(client, args.language)
    rows = [
        measure(
            client, path, count=args.count, warmup=args.warmup, cold=args.cold, conditional=args.conditional
        )
        for path in args.paths
    ]
    mode = "cold (fragments, pages and answers emptied before each request)" if args.cold else "warm"
    if args.conditional:
        mode += ", conditional (If-None-Match)"
    mode += ", through the WSGI application (door included)" if args.wsgi else ", through the test client"
    who = args.user or "anonymous"
    print(f"{args.count} requests per page after {args.warmup} warm-up requests, {mode}, as {who}")
    print("| page | status | bytes | queries | CPU ms/req | wall ms/req |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| `{row['path']}` | {row['status']} | {row['bytes']:,} | {row['queries']} "
            f"| {row['cpu_ms']:.2f} | {row['wall_ms']:.2f} |"
        )
    if args.profile:
        for path in args.paths:
            print(f"\n## profile of {args.profile} request(s): {path}\n")
            print(
                profile(
                    client,
                    path,
                    requests=args.profile,
                    cold=args.cold,
                    top=args.top,
                    conditional=args.conditional,
                )
            )


if __name__ == "__main__":
    main()
