"""Pages of the secondments app."""

from django.urls import path

app_name = "secondments"

urlpatterns: list = []
