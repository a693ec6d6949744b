"""Pages of the secondments app."""

app_name = "secondments"

urlpatterns: list = []
