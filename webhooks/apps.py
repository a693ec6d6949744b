from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Register the tasks in every process (web included), so core.events can enqueue the
        # dispatcher by name without importing this app.
        from webhooks import tasks  # noqa: F401
