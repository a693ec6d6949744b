"""One archive holds the whole portal: the database (``pg_dump``'s custom format) and the private
files (CVs, reports), with a manifest. ``manage.py backup PATH`` writes it; ``manage.py restore
PATH`` puts it back into an empty database. Works on the embedded PostgreSQL too: ``pgserver``
ships ``pg_dump``/``pg_restore`` (PostgreSQL 16, which also reads and writes older servers); the
machine's are used when it is not installed.
"""

from __future__ import annotations

import datetime
import importlib.util
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.files.storage import storages
from django.db import connections

from core.versions import advance_after_restore

DATABASE_MEMBER = "database.dump"
MANIFEST_MEMBER = "manifest.json"
FILES_PREFIX = "private"
FORMAT_VERSION = 1


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why, in one line."""


def tool(name: str) -> str:
    """``pg_dump`` or ``pg_restore``: pgserver's copy when installed, else the machine's."""
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.origin is not None:
        bundled = Path(spec.origin).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install PostgreSQL's client tools or the pgserver package")
    return found


def _connection_args(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    conf: dict[str, Any] = connections[alias].settings_dict
    args = ["--dbname", str(conf["NAME"])]
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = {**os.environ, "PGPASSWORD": str(conf.get("PASSWORD") or "")}
    options = conf.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        raise BackupError(f"{Path(command[0]).name} failed: {lines[-1] if lines else result.returncode}")


def private_root() -> Path:
    """Where the private files (CVs, reports) are stored: the default storage's folder."""
    location = getattr(storages["default"], "location", None)
    if location is None:
        raise BackupError("the private files are not in a folder: back them up with their storage's tools")
    return Path(location)


def backup(path: Path) -> dict[str, Any]:
    """Write the database and the private files to the archive ``path`` (a .tar.gz, made readable
    by its owner only: it holds personal data). Returns the manifest."""
    args, env = _connection_args()
    root = private_root()
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    manifest = {
        "format": FORMAT_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(),
        "files": len(files),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DATABASE_MEMBER
        _run(
            [tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), *args],
            env,
        )
        partial = path.with_name(path.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST_MEMBER)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=DATABASE_MEMBER)
            for file in files:
                archive.add(file, arcname=str(PurePosixPath(FILES_PREFIX, *file.relative_to(root).parts)))
        partial.replace(path)  # a failed backup never leaves a half archive under the name asked for
    return manifest


def _database_is_empty() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        row = cursor.fetchone()
    return row is not None and row[0] == 0


def restore(path: Path) -> dict[str, Any]:
    """Restore the archive ``path`` into the (empty) database and the private files' folder.
    Returns the manifest. Refuses a database that already has tables: restore into a new one."""
    if not path.is_file():
        raise BackupError(f"no archive at {path}")
    if not _database_is_empty():
        raise BackupError("the database is not empty: create an empty database and point DATABASE_URL at it")
    args, env = _connection_args()
    root = private_root()
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(path, mode="r:gz") as archive:
        try:
            manifest = json.load(archive.extractfile(MANIFEST_MEMBER))  # type: ignore[arg-type]
        except (KeyError, ValueError, TypeError) as error:
            raise BackupError(f"{path} is not a portal backup (no manifest)") from error
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        # The "data" filter refuses absolute paths, links out of the folder and special files.
        archive.extract(DATABASE_MEMBER, scratch, filter="data")
        connections["default"].close()
        _run(
            [tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             *args, str(Path(scratch) / DATABASE_MEMBER)],
            env,
        )  # fmt: skip
        advance_after_restore()
        members = [m for m in archive.getmembers() if m.name.startswith(f"{FILES_PREFIX}/") and m.isfile()]
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        for member in members:
            member.name = member.name.removeprefix(f"{FILES_PREFIX}/")
            archive.extract(member, root, filter="data")
            target = root / member.name
            target.chmod(0o600)
            for folder in target.relative_to(root).parents:
                (root / folder).chmod(0o700)
    return manifest
