"""`manage.py backup PATH` and `restore PATH`: the database and the private files in one archive,
restored into a fresh database, with the same rows and the same files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tarfile
import uuid
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from core.versions import RESTORE_GAP, read_versions
from tests.conftest import make_pdf
from tests.platform.helpers import database_url_of_this_test_db
from tests.platform.test_make_run import _admin_connection
from tests.secondments.factories import NominationFactory, VacancyFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF = make_pdf(pages=2)


def _restore(archive: Path, database: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DATA_DIR"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "osce_portal.settings.test",
            "DATABASE_URL": database_url_of_this_test_db(database),
            "DATA_DIR": str(data_dir),
        }
    )
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_backup_then_restore_into_a_fresh_database_finds_the_same_data_and_files(
    tmp_path: Path, settings: Any, austria: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    vacancy = VacancyFactory(reference="VNBAHS00592", title="Rule of Law Officer")
    nomination = NominationFactory(vacancy=vacancy, state=austria, given_name="Anna", family_name="Huber")
    nomination.cv.save("cv.pdf", ContentFile(PDF), save=True)
    archive = tmp_path / "backups" / "portal.tar.gz"
    backed_up = read_versions()

    call_command("backup", str(archive), stdout=StringIO())

    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds personal data
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names and "database.dump" in names
    assert f"private/{nomination.cv.name}" in names

    database = f"osce_restore_{uuid.uuid4().hex[:8]}"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{database}"')
    restored_dir = tmp_path / "restored"
    try:
        result = _restore(archive, database, restored_dir)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 private files" in result.stdout

        conf = {
            key: value for key, value in admin.get_dsn_parameters().items() if key in {"user", "host", "port"}
        }
        restored = psycopg2.connect(
            dbname=database, password=settings.DATABASES["default"]["PASSWORD"], **conf
        )
        try:
            with restored.cursor() as cursor:
                cursor.execute(
                    "SELECT v.reference, v.title, n.given_name, n.family_name, n.cv "
                    "FROM secondments_nomination n JOIN secondments_vacancy v ON v.id = n.vacancy_id"
                )
                rows = cursor.fetchall()
                cursor.execute("SELECT count(*) FROM django_migrations")
                migrations = cursor.fetchone()
                cursor.execute("SELECT name, version FROM core_resourceversion")
                restored_versions = dict(cursor.fetchall())
        finally:
            restored.close()
        assert rows == [("VNBAHS00592", "Rule of Law Officer", "Anna", "Huber", nomination.cv.name)]
        assert migrations is not None and migrations[0] > 10
        # No version number the old database gave is given again (a stale ETag or cache could
        # match it): every table has a new one, far past the backup's.
        assert restored_versions.keys() == backed_up.keys()
        assert min(restored_versions.values()) > max(backed_up.values()) + RESTORE_GAP
        # Test settings keep private files under DATA_DIR/test-private.
        copy = restored_dir / "test-private" / nomination.cv.name
        assert copy.read_bytes() == PDF
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600

        again = _restore(archive, database, restored_dir)  # never over existing data
        assert again.returncode != 0
        assert "not empty" in again.stderr.strip().splitlines()[-1]
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def test_restore_refuses_a_missing_archive_and_a_database_that_has_data(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no archive at"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    with pytest.raises(CommandError, match="not empty"):  # the test database has its tables
        call_command("restore", str(archive))
