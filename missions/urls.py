"""Pages of the missions app."""

from django.urls import path

from missions import views

app_name = "missions"

urlpatterns = [
    path("missions/", views.FieldOperationListView.as_view(), name="list"),
    path("missions/<slug:slug>/", views.FieldOperationDetailView.as_view(), name="detail"),
    path("missions/<slug:slug>/figures/", views.FiguresCreateView.as_view(), name="figures-create"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project-create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:pk>/edit/", views.ProjectEditView.as_view(), name="project-edit"),
    path("projects/<int:pk>/pledge/", views.PledgeCreateView.as_view(), name="pledge-create"),
    path(
        "projects/<int:pk>/pledges/<int:pledge_pk>/receipt/",
        views.ReceiptCreateView.as_view(),
        name="pledge-receipt",
    ),
]
