"""Settings read the environment through typed helpers and fail fast on bad configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from osce_portal.env import (
    ConfigurationError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_url,
    mailer_from_url,
)

BASE_DIR = Path(__file__).resolve().parents[2]


def test_env_bool_accepts_the_documented_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("1", True), ("true", True), ("TRUE", True), ("0", False), ("false", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert env_bool("X_FLAG") is expected
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True


def test_env_bool_refuses_other_values_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ConfigurationError, match="X_FLAG"):
        env_bool("X_FLAG")


def test_env_int_list_and_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_INT", "7")
    assert env_int("X_INT", 1) == 7
    monkeypatch.setenv("X_INT", "seven")
    with pytest.raises(ConfigurationError, match="X_INT"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_LIST", "a.example, b.example,,")
    assert env_list("X_LIST") == ["a.example", "b.example"]
    monkeypatch.setenv("X_RATE", "10/min")
    assert env_rate("X_RATE", "1/s") == "10/min"
    monkeypatch.setenv("X_RATE", "lots")
    with pytest.raises(ConfigurationError, match="X_RATE"):
        env_rate("X_RATE", "1/s")


def test_site_url_is_an_absolute_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_SITE", raising=False)
    assert env_url("X_SITE", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    monkeypatch.setenv("X_SITE", "https://portal.example.org/")
    assert env_url("X_SITE", "http://127.0.0.1:8000") == "https://portal.example.org"
    for bad in ("portal.example.org", "ftp://portal.example.org", "https://", "https://x.org/?a=1"):
        monkeypatch.setenv("X_SITE", bad)
        with pytest.raises(ConfigurationError, match="X_SITE"):
            env_url("X_SITE", "http://127.0.0.1:8000")


def test_database_url_parsing() -> None:
    tcp = database_from_url("postgresql://u:p%40ss@db.example:6543/portal")
    assert (tcp["HOST"], tcp["PORT"], tcp["NAME"], tcp["USER"], tcp["PASSWORD"]) == (
        "db.example",
        "6543",
        "portal",
        "u",
        "p@ss",
    )
    socket = database_from_url("postgresql://postgres:@/postgres?host=/var/run/pg")
    assert socket["HOST"] == "/var/run/pg"
    assert socket["OPTIONS"] == {}
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        database_from_url("mysql://x@y/z")


def test_email_url_parsing() -> None:
    smtp = mailer_from_url("smtp://user:secret@mail.example:587?tls=1")
    assert smtp["OPTIONS"]["host"] == "mail.example"  # type: ignore[index]
    assert smtp["OPTIONS"]["port"] == 587  # type: ignore[index]
    assert smtp["OPTIONS"]["use_tls"] is True  # type: ignore[index]
    assert mailer_from_url("console://")["BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ConfigurationError, match="EMAIL_URL"):
        mailer_from_url("carrier-pigeon://coo")


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "osce_portal.settings.base",
            "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_stops_start_up_with_one_line_naming_it() -> None:
    result = _start({"ALLOWED_HOSTS": "portal.example"})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "configuration error: SECRET_KEY is not set: set SECRET_KEY to a long random string (DEBUG is off)."
    ]


def test_empty_allowed_hosts_stops_start_up_with_one_line_naming_it() -> None:
    result = _start({"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert "ALLOWED_HOSTS" in line


def test_malformed_variable_stops_start_up() -> None:
    result = _start({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example", "DEBUG": "perhaps"})
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert "DEBUG" in line


def test_dotenv_is_optional_and_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from osce_portal.env import load_dotenv

    load_dotenv(tmp_path / "missing.env")  # no file: nothing happens
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nX_FROM_FILE='quoted value'\nexport X_EXPORTED=1\nX_SET=file\n")
    monkeypatch.setenv("X_SET", "environment")
    monkeypatch.delenv("X_FROM_FILE", raising=False)
    monkeypatch.delenv("X_EXPORTED", raising=False)
    load_dotenv(dotenv)
    assert os.environ["X_FROM_FILE"] == "quoted value"
    assert os.environ["X_EXPORTED"] == "1"
    assert os.environ["X_SET"] == "environment"
    for key in ("X_FROM_FILE", "X_EXPORTED"):
        monkeypatch.delenv(key)
    dotenv.write_text("not a pair\n")
    with pytest.raises(ConfigurationError, match="line 1"):
        load_dotenv(dotenv)
