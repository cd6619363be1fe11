from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Grid intake")

    def ready(self) -> None:
        from core.panels import register_township_panel

        from .panels import intake_panel

        register_township_panel(order=65, provider=intake_panel)
