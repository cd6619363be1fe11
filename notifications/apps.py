from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def _sqlite_functions(sender, connection, **kwargs):
    # PostgreSQL does expressions.Squish with regexp_replace; SQLite has none, so it gets Python's.
    if connection.vendor == "sqlite":
        from .expressions import squish

        connection.connection.create_function("squish", 1, squish, deterministic=True)


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        connection_created.connect(_sqlite_functions, dispatch_uid="notifications_sqlite_functions")
