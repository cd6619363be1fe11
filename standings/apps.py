from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandingsConfig(AppConfig):
    name = "standings"
    verbose_name = _("Standings")

    def ready(self) -> None:
        from core.panels import register_township_panel

        from .panels import standing_panel

        register_township_panel(order=20, provider=standing_panel)
