"""WSGI entry point, served by granian under `make run` and in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_portal.settings.base")

application = get_wsgi_application()
