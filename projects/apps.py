from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from core.panels import register_township_panel

        from .exports import register_exports
        from .panels import township_projects_panel

        register_exports()

        register_township_panel(order=60, provider=township_projects_panel)
