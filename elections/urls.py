"""Pages of the elections app."""

from django.urls import path, re_path

from core.middleware import upload_route
from elections.views import activities, elections, offers, recommendations

app_name = "elections"

urlpatterns = [
    path("elections/", elections.ElectionListView.as_view(), name="list"),
    path("elections/new/", elections.ElectionCreateView.as_view(), name="create"),
    path("elections/calendar.ics", elections.CalendarFeedView.as_view(), name="calendar-feed"),
    path("elections/offers/", offers.OfferListView.as_view(), name="offers"),
    path("elections/offers/<int:pk>/edit/", offers.OfferEditView.as_view(), name="offer-edit"),
    path("elections/offers/<int:pk>/withdraw/", offers.OfferWithdrawView.as_view(), name="offer-withdraw"),
    path(
        "elections/recommendations/", recommendations.RecommendationListView.as_view(), name="recommendations"
    ),
    path(
        "elections/recommendations/<int:pk>/",
        recommendations.RecommendationDetailView.as_view(),
        name="recommendation",
    ),
    path(
        "elections/recommendations/<int:pk>/edit/",
        recommendations.RecommendationEditView.as_view(),
        name="recommendation-edit",
    ),
    path(
        "elections/recommendations/<int:pk>/assess/",
        recommendations.RecommendationAssessView.as_view(),
        name="recommendation-assess",
    ),
    re_path(
        r"^elections/recommendations/(?P<code>[A-Za-z]{2}(?:[A-Za-z]{2})?)/$",
        recommendations.StateRecommendationsView.as_view(),
        name="state-recommendations",
    ),
    path("elections/reports/<int:pk>/file/", activities.ReportFileView.as_view(), name="report-file"),
    path("elections/activities/<int:pk>/edit/", activities.ActivityEditView.as_view(), name="activity-edit"),
    path(
        "elections/activities/<int:pk>/observers/",
        activities.ActivityObserversView.as_view(),
        name="activity-observers",
    ),
    path("elections/activities/<int:pk>/roster.csv", activities.RosterView.as_view(), name="activity-roster"),
    path(
        "elections/activities/<int:pk>/reports/new/",
        upload_route(activities.ReportCreateView.as_view()),
        name="report-create",
    ),
    path(
        "elections/activities/<int:pk>/recommendations/new/",
        recommendations.RecommendationCreateView.as_view(),
        name="recommendation-create",
    ),
    path("elections/activities/<int:pk>/offer/", offers.OfferCreateView.as_view(), name="offer-create"),
    path("elections/<int:pk>/", elections.ElectionDetailView.as_view(), name="detail"),
    path("elections/<int:pk>/edit/", elections.ElectionEditView.as_view(), name="edit"),
    path(
        "elections/<int:pk>/activities/new/", activities.ActivityCreateView.as_view(), name="activity-create"
    ),
]
