"""URL configuration: pages of each app, the API under /api/v1/, health, admin."""

from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("osce_portal.api_urls", "api"), namespace="api")),
    path("", include("accounts.urls")),
    path("", include("states.urls")),
    path("", include("missions.urls")),
    path("", include("secondments.urls")),
    path("", include("elections.urls")),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
