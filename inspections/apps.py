from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from core.panels import register_township_panel

        from .panels import findings_panel, guidance_panel, yellow_card_panel

        register_township_panel(order=10, provider=yellow_card_panel)
        register_township_panel(order=60, provider=findings_panel)
        register_township_panel(order=70, provider=guidance_panel)
