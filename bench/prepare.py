"""The harness's steps that need Django and the database (run as ``python -m bench.prepare STEP``
with the portal's environment): whether the demo data of a scale is there; the bench's users,
tokens and nomination target; each target's request, its statements and its query count; removing
the bench's nominations afterwards."""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import sys
from io import StringIO
from typing import Any

BENCH_HR = "bench-hr"
BENCH_FOCAL_POINT = "bench-focal-point"
BENCH_STATE = "AT"
BENCH_TITLE = "[BENCH] Nomination target (made by make bench)"
LIST_PATH = "/api/v1/vacancies/?page_size=50&status=open"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_portal.settings.base")
    import django

    django.setup()


def data_present(scale: float, nominations_per_vacancy: float) -> tuple[bool, dict[str, int]]:
    """Whether the demo data of that scale is there: the exact number of demo vacancies, and about
    as many nominations as that average makes (drafts get none)."""
    from secondments.demo import VACANCIES_PER_SCALE
    from secondments.models import Nomination, Vacancy

    vacancies = Vacancy.objects.filter(is_demo=True).count()
    nominations = Nomination.objects.filter(vacancy__is_demo=True).count()
    expected = max(1, round(VACANCIES_PER_SCALE * scale))
    wanted = expected * nominations_per_vacancy * 0.95
    # 0 to twice the average each: a tolerance of 20 %, or four standard deviations on small samples.
    spread = math.sqrt(((2 * nominations_per_vacancy + 1) ** 2 - 1) / 12)
    tolerance = max(0.2 * wanted, 4 * spread * math.sqrt(expected))
    ok = vacancies == expected and abs(nominations - wanted) <= tolerance
    return ok, {"vacancies": vacancies, "nominations": nominations, "expected_vacancies": expected}


def _token(username: str) -> str:
    from django.core.management import call_command

    out = StringIO()
    call_command("create_token", username, "--name", "make bench", "--expires-days", "1", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def _users() -> dict[str, str]:
    """The bench's HR user and focal point (``grant_role``), each with a new token (``create_token``)."""
    from django.core.management import call_command

    call_command("grant_role", BENCH_HR, "hr", stdout=StringIO())
    call_command("grant_role", BENCH_FOCAL_POINT, "focal-point", "--state", BENCH_STATE, stdout=StringIO())
    return {"hr": _token(BENCH_HR), "focal_point": _token(BENCH_FOCAL_POINT)}


def _nomination_target(client: Any, hr_token: str) -> str:
    """An open Secretariat vacancy (no host State) with a deadline far away, made through the API
    once and kept: its reference."""
    from secondments.models import Vacancy
    from states.models import Body, Dimension

    today = datetime.date.today()
    existing = (
        Vacancy.objects.filter(title=BENCH_TITLE, status="open", deadline__gte=today + datetime.timedelta(60))
        .order_by("-deadline")
        .first()
    )
    if existing is not None:
        return existing.reference
    body = (
        Body.objects.filter(kind=Body.Kind.SECRETARIAT).order_by("slug").first()
        or Body.objects.order_by("slug").first()
    )
    dimension = Dimension.objects.order_by("order", "slug").first()
    if body is None or dimension is None:
        raise SystemExit("no body or dimension: run load_reference_data first")
    headers = {"Authorization": f"Bearer {hr_token}"}
    payload = {
        "title": BENCH_TITLE,
        "body": body.slug,
        "grade": "S2",
        "dimension": dimension.slug,
        "posts": 1,
        "deadline": (today + datetime.timedelta(days=365)).isoformat(),
        "notice_language": "en",
        "languages": ["en"],
        "description": "Made by make bench: the nominations it sends go here and are removed afterwards.",
        "requirements": "None.",
    }
    response = client.post("/api/v1/vacancies/", payload, content_type="application/json", headers=headers)
    if response.status_code != 201:
        raise SystemExit(
            f"creating the bench vacancy answered {response.status_code}: {response.content[:500]!r}"
        )
    reference = response.json()["reference"]
    published = client.post(f"/api/v1/vacancies/{reference}/publish/", headers=headers)
    if published.status_code != 200:
        raise SystemExit(
            f"publishing the bench vacancy answered {published.status_code}: {published.content[:500]!r}"
        )
    return reference


def cleanup() -> int:
    """Remove every nomination the bench sent (to its own vacancy), with what hangs on them."""
    from secondments.models import Nomination

    deleted, _ = Nomination.objects.filter(vacancy__title=BENCH_TITLE).delete()
    return deleted


def nomination_body(email: str) -> bytes:
    return json.dumps(
        {
            "candidate": {
                "given_name": "Bench",
                "family_name": "Capture",
                "email": email,
                "nationality": BENCH_STATE,
                "gender": "undisclosed",
            },
            "motivation": "[BENCH]",
        }
    ).encode()


def targets(tokens: dict[str, str], nomination_reference: str) -> dict[str, dict[str, Any]]:
    """The requests measured, by name."""
    from missions.models import FieldOperation
    from secondments.models import Vacancy

    today = datetime.date.today()
    detail = Vacancy.objects.filter(is_demo=True, status="open").order_by("reference").first()
    mission = (
        FieldOperation.objects.active(today).order_by("slug").first()
        or FieldOperation.objects.order_by("slug").first()
    )
    hr = {"Authorization": f"Bearer {tokens['hr']}"}
    found: dict[str, dict[str, Any]] = {
        "api-list": {"method": "GET", "path": LIST_PATH, "headers": {}},
        "api-list-304": {
            "method": "GET",
            "path": LIST_PATH,
            "headers": {},  # If-None-Match: the list's ETag, once the data is settled (capture)
            "note": "If-None-Match with the list's ETag",
        },
    }
    if detail is not None:
        found["api-detail"] = {
            "method": "GET",
            "path": f"/api/v1/vacancies/{detail.reference}/",
            "headers": {},
        }
    found["api-search"] = {"method": "GET", "path": "/api/v1/vacancies/?q=border", "headers": {}}
    found["api-nominations-hr"] = {
        "method": "GET",
        "path": "/api/v1/nominations/?page_size=50",
        "headers": hr,
        "note": "HR's bearer token",
    }
    found["html-vacancies"] = {"method": "GET", "path": "/vacancies/", "headers": {}}
    found["html-missions"] = {"method": "GET", "path": "/missions/", "headers": {}}
    if mission is not None:
        found["html-mission"] = {"method": "GET", "path": f"/missions/{mission.slug}/", "headers": {}}
    found["api-nominate"] = {
        "method": "POST",
        "path": f"/api/v1/vacancies/{nomination_reference}/nominations/",
        "headers": {"Authorization": f"Bearer {tokens['focal_point']}", "Content-Type": "application/json"},
        "note": "a focal point nominates a distinct candidate each time",
        "nationality": BENCH_STATE,
    }
    return found


def capture(found: dict[str, dict[str, Any]], host: str) -> None:
    """Each target's statements and query count: the second of two requests (the first one warms
    the process), made in process through the portal's WSGI application, as the server calls it,
    with the versions' mirror as a server under load has it (merged at most ``MIRROR_SECONDS``
    ago: made again here, or the first request after its expiry would count its one query)."""
    from bench.capture import request
    from core import mirror

    for target in found.values():
        headers = {key: value for key, value in target["headers"].items() if key != "Content-Type"}
        response = None
        captured: list[str] = []
        for attempt in range(2):
            body = None
            if target["method"] == "POST":
                body = nomination_body(
                    f"bench.capture.{attempt}.{datetime.datetime.now().timestamp()}@example.org"
                )
            mirror.refresh()
            response, captured = request(
                target["method"], target["path"], headers=headers, body=body, host=host
            )
        assert response is not None
        target["captured_status"] = response.status_code
        target["statements"] = captured
        target["queries"] = len(captured)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.prepare")
    sub = parser.add_subparsers(dest="step", required=True)
    check = sub.add_parser("check", help="exit 0 when the demo data of that scale is there")
    check.add_argument("--scale", type=float, required=True)
    check.add_argument("--nominations-per-vacancy", type=float, required=True)
    setup = sub.add_parser("setup", help="users, tokens, the nomination target and the targets, as JSON")
    setup.add_argument("--host", default="127.0.0.1")
    setup.add_argument("--out", required=True)
    statements = sub.add_parser("capture", help="each target's statements, added to the JSON file")
    statements.add_argument("--etag", default="", help="the list's ETag, for the 304 target")
    statements.add_argument("--host", default="127.0.0.1")
    statements.add_argument("--file", required=True)
    sub.add_parser("cleanup", help="remove the bench's nominations")
    args = parser.parse_args(argv)
    _django()
    if args.step == "check":
        ok, counts = data_present(args.scale, args.nominations_per_vacancy)
        print(json.dumps({"present": ok, **counts}))
        return 0 if ok else 1
    if args.step == "cleanup":
        print(json.dumps({"deleted": cleanup()}))
        return 0
    if args.step == "setup":
        from django.test import Client

        from core.db import analyse

        analyse()  # data generated earlier, or loaded otherwise: plans from fresh statistics

        tokens = _users()
        reference = _nomination_target(Client(HTTP_HOST=args.host), tokens["hr"])
        cleanup()
        found = targets(tokens, reference)
        with open(args.out, "w") as handle:
            json.dump({"tokens": tokens, "nomination_vacancy": reference, "targets": found}, handle, indent=1)
        return 0
    with open(args.file) as handle:
        prepared = json.load(handle)
    if args.etag and "api-list-304" in prepared["targets"]:
        prepared["targets"]["api-list-304"]["headers"]["If-None-Match"] = args.etag
    capture(prepared["targets"], args.host)
    cleanup()  # the capture's nominations: L1 repeats their INSERT
    with open(args.file, "w") as handle:
        json.dump(prepared, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
