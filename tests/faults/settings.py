"""Settings of the processes the fault tests start (web server, Celery workers): the base
settings, as in production, except that e-mail goes to a log the test reads (tests.faults.mail)
and static files are served from the finders (no collectstatic run)."""

from __future__ import annotations

from osce_portal.settings.base import *  # noqa: F403
from osce_portal.settings.base import STATIC_ROOT, STORAGES

MAILERS = {"default": {"BACKEND": "tests.faults.mail.LogBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
