"""Typed helpers that read configuration from the environment.

Every setting the portal takes from outside goes through one of these, so that a bad value fails at
start-up with a one-line message naming the variable, instead of surfacing later as a strange error.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigurationError(RuntimeError):
    """A configuration variable is missing or malformed; the message names it."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be one of 1/0/true/false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as ``600/min``."""
    value = env_str(name, default)
    count, _, period = value.partition("/")
    if not count.isdigit() or not period or period[0] not in "smhd":
        raise ConfigurationError(
            f"{name} must look like 600/min (a number, a slash, s/min/hour/day), not {value!r}"
        )
    return value


def env_url(name: str, default: str) -> str:
    """An absolute http(s) address such as ``https://portal.example.org``, without a trailing slash."""
    value = env_str(name, default).rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ConfigurationError(f"{name} must be an absolute http:// or https:// address, not {value!r}")
    return value


def database_from_url(url: str) -> dict[str, object]:
    """Turn ``postgresql://user:pass@host:port/name?host=/socket/dir`` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ConfigurationError(f"DATABASE_URL must be a postgresql:// URL, not {parts.scheme or url!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    host = query.pop("host", None) or unquote(parts.hostname or "")
    name = unquote(parts.path.lstrip("/")) or "postgres"
    try:
        port = parts.port
    except ValueError:
        raise ConfigurationError("DATABASE_URL has a malformed port") from None
    return {
        "ENGINE": "core.postgresql",  # Django's, with rollback hooks (core/postgresql/base.py)
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "OPTIONS": query,
    }


def mailer_from_url(url: str) -> dict[str, object]:
    """A ``MAILERS`` entry from ``smtp://user:pass@host:587?tls=1``, ``smtps://…``, ``console://``,
    ``locmem://`` or ``file:///path``."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parts.path)},
        }
    if scheme in {"smtp", "smtps"}:
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        try:
            port = parts.port or (465 if scheme == "smtps" else 25)
        except ValueError:
            raise ConfigurationError("EMAIL_URL has a malformed port") from None
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": port,
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_ssl": scheme == "smtps",
                "use_tls": query.get("tls", "0").lower() in _TRUE,
                "timeout": 30,
            },
        }
    raise ConfigurationError(
        f"EMAIL_URL must start with smtp://, smtps://, console://, locmem:// or file://, not {url!r}"
    )


def load_dotenv(path: os.PathLike[str] | str) -> None:
    """Read ``KEY=VALUE`` lines of an optional ``.env`` file; the real environment wins.

    Blank lines and ``#`` comments are skipped; values may be quoted with ' or ".
    """
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise ConfigurationError(f"{path}, line {number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(key, value)
