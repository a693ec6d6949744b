"""Open data: a nightly dump of the public data, JSON and CSV per public resource, with a manifest.

``build()`` (the beat task ``core.tasks.open_data_build``, nightly) reads each public resource
exactly as an anonymous client of the API reads it: the same viewset, the same ``visible_to``
scoping, the same serializer (``core.exports`` streams the rows), so nothing a stranger may not see
can reach a dump. Nominations, candidates, secondments and observer offers are not public
resources and are never read.

Files are written into a fresh build folder, then published at once by swapping the ``current``
symbolic link (``os.replace`` is atomic): a reader sees the previous dump or the new one, never half
of one. The manifest lists each file with its row count, size and SHA-256. The API serves it at
``/api/v1/open-data/`` (``core.opendata_views``).
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import resolve

from core.exports import csv_columns, csv_lines, json_record, serialized

# The public resources (CONTRACT.md §3: what anyone may read), with the filter that gives all of
# each (the States' list shows today's participants by default; the dump has every one).
PUBLIC_RESOURCES: dict[str, dict[str, str]] = {
    "states": {"membership": "all"},
    "partners": {},
    "dimensions": {},
    "bodies": {},
    "chairpersonships": {},
    "delegations": {},
    "field-operations": {},
    "projects": {},
    "vacancies": {},
    "elections": {},
    "observation-activities": {},
    "recommendations": {},
}
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
MANIFEST = "manifest.json"
CURRENT = "current"
KEEP_BUILDS = 2  # the current dump and the one before, so a download under way can finish


def root() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def _anonymous_list(name: str, params: dict[str, str]) -> tuple[Any, Any]:
    """The queryset and serializer of ``/api/v1/<name>/`` as an anonymous client gets them."""
    site = urlsplit(settings.SITE_URL)
    path = f"/api/v1/{name}/"
    request = RequestFactory().get(path, params, HTTP_HOST=site.netloc, secure=site.scheme == "https")
    request.user = AnonymousUser()
    # The host is the portal's own address (settings), not a client's: no ALLOWED_HOSTS check needed.
    request.get_host = lambda: site.netloc  # type: ignore[method-assign]
    match = resolve(path)
    viewset = match.func.cls(**match.func.initkwargs)  # type: ignore[attr-defined]
    viewset.action_map = match.func.actions  # type: ignore[attr-defined]
    viewset.action = "list"
    viewset.args, viewset.kwargs, viewset.format_kwarg = (), {}, None
    viewset.request = viewset.initialize_request(request)
    viewset.headers = {}
    # As for any anonymous request: authentication, permissions, the list's own policy (a private
    # list refuses: 401), content negotiation.
    viewset.initial(viewset.request)
    queryset = viewset.filter_queryset(viewset.get_queryset())
    return queryset, viewset.get_serializer()


def _write_resource(folder: Path, name: str, params: dict[str, str]) -> dict[str, Any]:
    queryset, serializer = _anonymous_list(name, params)
    csv_path, json_path = folder / f"{name}.csv", folder / f"{name}.json"
    count = 0
    with (
        csv_path.open("w", encoding="utf-8", newline="") as csv_file,
        json_path.open("w", encoding="utf-8") as json_file,
    ):

        def to_json_too(records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
            # One pass over the rows writes both files: each record also joins the JSON array.
            nonlocal count
            for record in records:
                json_file.write(("\n" if count == 0 else ",\n") + json_record(record))
                count += 1
                yield record

        json_file.write("[")
        for line in csv_lines(csv_columns(serializer), to_json_too(serialized(serializer, queryset))):
            csv_file.write(line)
        json_file.write("\n]\n")
    return {"name": name, "rows": count, "files": [_describe(csv_path, "csv"), _describe(json_path, "json")]}


def _describe(path: Path, file_format: str) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return {
        "format": file_format,
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": digest.hexdigest(),
    }


def build() -> Path:
    """Write every public resource as CSV and JSON with a manifest, then publish them at once.

    Safe to run twice at the same time (a lock file serialises builds); the previous dump stays
    served until the new one is complete. Returns the new build's folder.
    """
    base = root()
    builds = base / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    with (base / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        generated = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=builds))
        try:
            resources = [_write_resource(work, name, params) for name, params in PUBLIC_RESOURCES.items()]
            manifest = {"generated": generated.isoformat(), "resources": resources}
            (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            work.chmod(0o755)
            # Named by the time to the microsecond: two builds in one second keep their order.
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
            final = builds / f"{stamp}-{work.name.removeprefix('.tmp-')}"
            work.rename(final)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        link = base / f".{CURRENT}.new"
        link.unlink(missing_ok=True)
        link.symlink_to(final.relative_to(base))
        os.replace(link, base / CURRENT)  # the switch: atomic
        _prune(builds, keep=final)
    return final


def _prune(builds: Path, keep: Path) -> None:
    done = sorted((path for path in builds.iterdir() if not path.name.startswith(".")), reverse=True)
    for old in done[KEEP_BUILDS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def current() -> Path | None:
    """The folder of the dump being served, or None before the first build."""
    folder = root() / CURRENT
    return folder.resolve() if folder.exists() else None


def manifest() -> dict[str, Any] | None:
    folder = current()
    if folder is None:
        return None
    data: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    data["folder"] = folder
    return data


def file_path(name: str) -> tuple[Path, str, str] | None:
    """The path, content type and checksum of a file the current manifest lists, or None."""
    data = manifest()
    if data is None:
        return None
    for resource in data["resources"]:
        for described in resource["files"]:
            if described["file"] == name:
                return data["folder"] / name, FORMATS[described["format"]], described["sha256"]
    return None
