"""``python -m bench.export_memory [--rows 100000]``: a streamed CSV export of 100,000 vacancies,
in bounded memory (issue 12, "must show").

Makes the rows with the demo generator (``COPY``, a batch at a time, drafts and closed ones among
them; no nominations), then downloads ``/api/v1/vacancies/?format=csv`` as HR through Django's
test client, in this process, reading the streamed answer chunk by chunk as a client would. It
reports the rows and bytes received, the time, the peak of Python allocations during the export
(``tracemalloc``) and the peak resident memory of the process during the export (Linux ``VmHWM``,
reset just before). The demo rows are deleted afterwards unless ``--keep``.

Runs against ``DATABASE_URL`` (migrated first). Exits non-zero when the Python peak passes
``--bound-mb`` (default 64) or a row is missing.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
import tracemalloc
from io import StringIO
from pathlib import Path

import django

# A script: Django is set up before the project's modules are imported.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_portal.settings.test")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.services import role_grant  # noqa: E402
from secondments import demo  # noqa: E402
from secondments.models import Vacancy  # noqa: E402


def _peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM starts again from the current RSS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bound-mb", type=float, default=64.0)
    parser.add_argument("--keep", action="store_true", help="keep the demo vacancies")
    args = parser.parse_args(argv)

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=StringIO())
    started = time.perf_counter()
    demo.generate(scale=args.rows / 1000, rng=random.Random(12), nominations_per_vacancy=0)
    total = Vacancy.objects.count()
    print(
        f"made {Vacancy.objects.filter(is_demo=True).count():,} demo vacancies "
        f"({total:,} in the table) in {time.perf_counter() - started:.1f} s"
    )
    hr, _created = role_grant(username="bench-export-hr", role="hr")
    client = Client()
    client.force_login(hr)

    gc.collect()
    _reset_peak_rss()
    rss_before = _peak_rss_kib()
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/api/v1/vacancies/?format=csv")
    received = lines = 0
    for chunk in response.streaming_content:  # type: ignore[attr-defined]
        received += len(chunk)
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = _peak_rss_kib()

    rows = lines - 1  # the header
    print(f"exported {rows:,} rows, {received / 2**20:.1f} MiB of CSV, in {elapsed:.1f} s")
    print(f"Python allocations, peak during the export (tracemalloc): {peak / 2**20:.1f} MiB")
    print(
        f"resident memory: {rss_before / 1024:.1f} MiB before, peak {rss_peak / 1024:.1f} MiB during "
        f"the export (+{(rss_peak - rss_before) / 1024:.1f} MiB)"
    )
    if not args.keep:
        demo.delete()
    ok = rows == total and peak / 2**20 < args.bound_mb
    print("OK" if ok else f"FAILED: {rows} of {total} rows, bound {args.bound_mb} MiB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
