"""Pages of the elections app."""

app_name = "elections"

urlpatterns: list = []
