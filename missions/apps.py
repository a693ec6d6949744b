from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Field operations and projects")

    def ready(self) -> None:
        from django.utils import timezone

        from core.home import register_counter
        from missions.models import FieldOperation

        register_counter(
            order=20,
            label=_("active field operations"),
            url_name="missions:list",
            count=lambda: FieldOperation.objects.active(timezone.localdate()).count(),
        )
