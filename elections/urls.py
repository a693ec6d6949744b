"""Pages of the elections app."""

from django.urls import path, re_path

from elections import views

app_name = "elections"

urlpatterns = [
    path("elections/", views.ElectionListView.as_view(), name="list"),
    path("elections/calendar.ics", views.CalendarFeedView.as_view(), name="calendar-feed"),
    path("elections/offers/", views.OfferListView.as_view(), name="offers"),
    re_path(
        r"^elections/recommendations/(?P<code>[A-Za-z]{2}(?:[A-Za-z]{2})?)/$",
        views.StateRecommendationsView.as_view(),
        name="state-recommendations",
    ),
    path("elections/reports/<int:pk>/file/", views.ReportFileView.as_view(), name="report-file"),
    path("elections/activities/<int:pk>/offer/", views.ObserverOfferCreateView.as_view(), name="offer"),
    path("elections/<int:pk>/", views.ElectionDetailView.as_view(), name="detail"),
]
