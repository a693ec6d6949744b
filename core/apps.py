from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from core import mirror, versions  # imports accounts' models: only once apps are ready

        post_migrate.connect(versions.install_triggers, sender=self, dispatch_uid="core_version_triggers")
        mirror.connect_signals()
