from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Election observation")

    def ready(self) -> None:
        from django.utils import timezone

        from core.home import register_counter
        from elections import tasks  # noqa: F401  (registers the tasks services enqueue by name)
        from elections.models import Election
        from elections.panels import operation_elections
        from missions.sections import register_section
        from states.models import State

        # The host State's elections on a field operation's page (missions never imports elections).
        register_section(
            order=20,
            template_name="elections/includes/operation_elections.html",
            context=operation_elections,
            models=(Election, State),
        )

        register_counter(
            order=60,
            label=_("upcoming elections"),
            url_name="elections:list",
            count=lambda: Election.objects.upcoming(timezone.localdate()).count(),
        )
