"""Pages of the secondments app (full paths: included at the root with no prefix)."""

from django.urls import path

from core.middleware import upload_route
from secondments.views import feeds, nominations, secondments, statistics, subscriptions, vacancies

app_name = "secondments"

urlpatterns = [
    path("vacancies/", vacancies.VacancyListView.as_view(), name="list"),
    path("vacancies/new/", vacancies.VacancyCreateView.as_view(), name="create"),
    path("vacancies/dashboard/", vacancies.DashboardView.as_view(), name="dashboard"),
    path("vacancies/statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    path(
        "vacancies/statistics.csv", statistics.StatisticsView.as_view(), {"fmt": "csv"}, name="statistics-csv"
    ),
    path("vacancies/deadlines.ics", feeds.deadlines_ics, name="deadlines-ics"),
    path("vacancies/feed.atom", feeds.feed_atom, name="feed-atom"),
    path("vacancies/calendar/", subscriptions.CalendarTokensView.as_view(), name="calendar-tokens"),
    path("vacancies/calendar/<str:token>.ics", feeds.state_calendar_ics, name="calendar"),
    path("vacancies/searches/", subscriptions.SavedSearchView.as_view(), name="searches"),
    path("vacancies/<str:reference>/", vacancies.VacancyDetailView.as_view(), name="detail"),
    path(
        "vacancies/<str:reference>/notice/",
        vacancies.VacancyDetailView.as_view(print_view=True),
        name="notice",
    ),
    path("vacancies/<str:reference>/edit/", vacancies.VacancyEditView.as_view(), name="edit"),
    path(
        "vacancies/<str:reference>/publish/",
        vacancies.VacancyActionView.as_view(action="publish"),
        name="publish",
    ),
    path(
        "vacancies/<str:reference>/close/", vacancies.VacancyActionView.as_view(action="close"), name="close"
    ),
    path(
        "vacancies/<str:reference>/extend/",
        vacancies.VacancyActionView.as_view(action="extend"),
        name="extend",
    ),
    path(
        "vacancies/<str:reference>/cancel/",
        vacancies.VacancyActionView.as_view(action="cancel"),
        name="cancel",
    ),
    path(
        "vacancies/<str:reference>/nominate/",
        upload_route(nominations.NominateView.as_view()),
        name="nominate",
    ),
    path("nominations/", nominations.NominationListView.as_view(), name="nominations"),
    path("nominations/<int:pk>/", nominations.NominationDetailView.as_view(), name="nomination"),
    path(
        "nominations/<int:pk>/decide/",
        nominations.NominationActionView.as_view(action="decide"),
        name="nomination-decide",
    ),
    path(
        "nominations/<int:pk>/withdraw/",
        nominations.NominationActionView.as_view(action="withdraw"),
        name="nomination-withdraw",
    ),
    path(
        "nominations/<int:pk>/update/",
        upload_route(nominations.NominationActionView.as_view(action="update")),
        name="nomination-update",
    ),
    path("nominations/<int:pk>/cv/", nominations.NominationCVView.as_view(), name="nomination-cv"),
    path("secondments/", secondments.SecondmentListView.as_view(), name="secondments"),
    path("secondments/<int:pk>/renew/", secondments.SecondmentRenewView.as_view(), name="secondment-renew"),
    path("secondments/persons/<int:pk>/", secondments.PersonDetailView.as_view(), name="person"),
    path("secondments/persons/<int:pk>/merge/", secondments.PersonMergeView.as_view(), name="person-merge"),
]
