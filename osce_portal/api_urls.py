"""The one /api/v1/ router: each app lists its routes in ``<app>/api/urls.py``."""

from __future__ import annotations

from importlib import import_module

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core.opendata_views import OpenDataFileView, OpenDataViewSet

API_APPS = ("states", "missions", "secondments", "elections", "accounts", "webhooks")


class Router(DefaultRouter):
    # Lookups carry codes, slugs and references with dots or dashes; no format suffix routes.
    include_format_suffixes = False


router = Router()
extra_urlpatterns: list = []
for app in API_APPS:
    module = import_module(f"{app}.api.urls")
    for prefix, viewset, basename in module.routes:
        router.register(prefix, viewset, basename=basename)
    extra_urlpatterns += getattr(module, "urlpatterns", [])
# The nightly open-data dumps of the public data (core.opendata).
router.register("open-data", OpenDataViewSet, basename="open-data")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *extra_urlpatterns,
    re_path(
        r"^open-data/(?P<name>[a-z][a-z-]*\.(?:csv|json))$", OpenDataFileView.as_view(), name="open-data-file"
    ),
    path("", include(router.urls)),
]
