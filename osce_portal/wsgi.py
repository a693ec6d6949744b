"""WSGI entry point, served by granian under `make run` and in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_portal.settings.base")

# Anonymous API answers kept at the door (core.door), Django's handler behind it.
django_application = get_wsgi_application()

from core.door import KeptAnswersDoor  # noqa: E402  (after Django is set up)

application = KeptAnswersDoor(django_application)
