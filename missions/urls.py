"""Pages of the missions app."""

app_name = "missions"

urlpatterns: list = []
