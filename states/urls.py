"""Pages of the states app."""

app_name = "states"

urlpatterns: list = []
