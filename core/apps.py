from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Generic infrastructure under every domain app; it imports none of them."""

    name = "core"
    verbose_name = "core"
