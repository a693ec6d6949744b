"""Pages of the secondments app (full paths: included at the root with no prefix)."""

from django.urls import path

from secondments import views

app_name = "secondments"

urlpatterns = [
    path("vacancies/", views.VacancyListView.as_view(), name="list"),
    path("vacancies/new/", views.VacancyCreateView.as_view(), name="create"),
    path("vacancies/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("vacancies/statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("vacancies/statistics.csv", views.StatisticsView.as_view(), {"fmt": "csv"}, name="statistics-csv"),
    path("vacancies/deadlines.ics", views.deadlines_ics, name="deadlines-ics"),
    path("vacancies/feed.atom", views.feed_atom, name="feed-atom"),
    path("vacancies/calendar/", views.CalendarTokensView.as_view(), name="calendar-tokens"),
    path("vacancies/calendar/<str:token>.ics", views.state_calendar_ics, name="calendar"),
    path("vacancies/searches/", views.SavedSearchView.as_view(), name="searches"),
    path("vacancies/<str:reference>/", views.VacancyDetailView.as_view(), name="detail"),
    path(
        "vacancies/<str:reference>/notice/", views.VacancyDetailView.as_view(print_view=True), name="notice"
    ),
    path("vacancies/<str:reference>/edit/", views.VacancyEditView.as_view(), name="edit"),
    path(
        "vacancies/<str:reference>/publish/",
        views.VacancyActionView.as_view(action="publish"),
        name="publish",
    ),
    path("vacancies/<str:reference>/close/", views.VacancyActionView.as_view(action="close"), name="close"),
    path(
        "vacancies/<str:reference>/extend/", views.VacancyActionView.as_view(action="extend"), name="extend"
    ),
    path(
        "vacancies/<str:reference>/cancel/", views.VacancyActionView.as_view(action="cancel"), name="cancel"
    ),
    path("vacancies/<str:reference>/nominate/", views.NominateView.as_view(), name="nominate"),
    path("nominations/", views.NominationListView.as_view(), name="nominations"),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination"),
    path("nominations/<int:pk>/decide/", views.NominationDecideView.as_view(), name="nomination-decide"),
    path(
        "nominations/<int:pk>/withdraw/", views.NominationWithdrawView.as_view(), name="nomination-withdraw"
    ),
    path("nominations/<int:pk>/update/", views.NominationUpdateView.as_view(), name="nomination-update"),
    path("nominations/<int:pk>/cv/", views.NominationCVView.as_view(), name="nomination-cv"),
    path("secondments/", views.SecondmentListView.as_view(), name="secondments"),
    path("secondments/<int:pk>/renew/", views.SecondmentRenewView.as_view(), name="secondment-renew"),
]
