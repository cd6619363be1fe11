from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core.exports import set_background_starter

        from .exports import export_job_starter

        set_background_starter(export_job_starter)
