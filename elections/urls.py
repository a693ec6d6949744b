"""Pages of the elections app."""

from django.urls import path

app_name = "elections"

urlpatterns: list = []
