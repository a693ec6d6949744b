from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatesConfig(AppConfig):
    name = "states"
    verbose_name = _("Participating States and the organisation")

    def ready(self) -> None:
        from django.utils import timezone

        from core.home import register_counter
        from states.models import State

        register_counter(
            order=10,
            label=_("participating States"),
            url_name="states:list",
            count=lambda: State.objects.participating(timezone.localdate()).count(),
        )
