"""Test settings: the base settings, with what a test run needs to be fast and isolated."""

from __future__ import annotations

import hashlib
import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("API_THROTTLE_ANON", "100000/min")
os.environ.setdefault("API_THROTTLE_USER", "100000/min")
# A real database and DEBUG off make the base settings production's (contract §1); the test client
# speaks plain HTTP, so no redirect to HTTPS (tests/platform/test_deploy.py checks production's).
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from .base import *  # noqa: F403
from .base import BASE_DIR, DATA_DIR, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Each test process keeps its own cache: throttle and lockout counters don't leak between tests.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "answers": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "answers"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "test-private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]  # noqa: F405

# The test database is reused between runs (--reuse-db). Its name carries a digest of the
# migrations, so a run after a schema change builds a fresh one instead of reusing a stale one.
_digest = hashlib.sha256()
for path in sorted(BASE_DIR.glob("*/migrations/*.py")):
    _digest.update(path.name.encode())
    _digest.update(path.read_bytes())
# The checkout's path is in the name too, so two checkouts that share one PostgreSQL server (two
# worktrees, CI beside a developer) never run their tests in the same database; TEST_DB_SUFFIX can
# tell apart two runs of one checkout.
_digest.update(str(BASE_DIR).encode())
DATABASES["default"]["TEST"] = {
    "NAME": f"test_osce_{_digest.hexdigest()[:10]}{os.environ.get('TEST_DB_SUFFIX', '')}"
}

# A ``replica`` alias on the test database (a second connection), for the read-replica router's
# tests; the router itself is installed only by those tests (tests/platform/test_replica.py).
DATABASES.setdefault("replica", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})

# Static files come from the finders in tests; no collectstatic run is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
