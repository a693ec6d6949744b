from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecondmentsConfig(AppConfig):
    name = "secondments"
    verbose_name = _("Secondments")

    def ready(self) -> None:
        from core.home import register_counter
        from missions.sections import register_section
        from secondments import tasks  # noqa: F401  (registers the tasks services enqueue by name)
        from secondments.models import Vacancy
        from secondments.panels import operation_vacancies

        register_section(
            order=10,
            template_name="secondments/includes/operation_vacancies.html",
            context=operation_vacancies,
            models=(Vacancy,),
        )

        register_counter(
            order=40,
            label=_("open vacancies"),
            url_name="secondments:list",
            count=lambda: Vacancy.objects.open().count(),
        )
