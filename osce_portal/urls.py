"""URL configuration: pages of each app, the API under /api/v1/, health, admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from core import views as core_views
from core.origin import same_origin_only

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    # The language switcher: no CSRF token in it (core.origin), cross-site requests refused.
    path("i18n/setlang/", same_origin_only(set_language), name="set_language"),
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
