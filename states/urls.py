"""Pages of the states app."""

from django.urls import path, re_path

from states import views

app_name = "states"

urlpatterns: list = [
    path("states/", views.StateListView.as_view(), name="list"),
    # Two letters for today's participants, four for former ones (SUHH); anything else is a 404.
    re_path(
        r"^states/(?P<code>[A-Za-z]{2}(?:[A-Za-z]{2})?)/$", views.StateDetailView.as_view(), name="detail"
    ),
    re_path(
        r"^states/(?P<code>[A-Za-z]{2})/delegation/$",
        views.DelegationEditView.as_view(),
        name="delegation-edit",
    ),
    path("dimensions/", views.DimensionListView.as_view(), name="dimensions"),
    path("bodies/", views.BodyListView.as_view(), name="bodies"),
    path("bodies/<slug:slug>/", views.BodyDetailView.as_view(), name="body"),
]
