from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CleanersConfig(AppConfig):
    name = "cleaners"
    verbose_name = _("Cleaners")

    def ready(self) -> None:
        from core.panels import register_township_panel

        from .panels import cleaners_panel

        register_township_panel(order=70, provider=cleaners_panel)
