from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownshipsConfig(AppConfig):
    name = "townships"
    verbose_name = _("Township registry")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from core.offline import register_snapshot_section

        from .exports import register_exports
        from .offline import people_section, townships_section, tracks_section
        from .tokens import rotate_on_password_change

        register_exports()
        register_snapshot_section("townships", townships_section)
        register_snapshot_section("tracks", tracks_section)
        register_snapshot_section("people", people_section)

        post_save.connect(
            rotate_on_password_change, sender=get_user_model(), dispatch_uid="townships_token_rotate"
        )
