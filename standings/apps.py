from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StandingsConfig(AppConfig):
    name = "standings"
    verbose_name = _("Standings")

    def ready(self) -> None:
        from core.panels import register_township_panel
        from townships.geo import register_feature_properties, register_location_suggester

        from .geo import photo_location_suggestion, standing_feature_properties
        from .panels import standing_panel

        register_township_panel(order=20, provider=standing_panel)
        register_feature_properties(standing_feature_properties)
        register_location_suggester(photo_location_suggestion)

        from townships.freshness import summaries_stale

        from .freshness import mark_stale

        summaries_stale.connect(mark_stale, dispatch_uid="standings_mark_stale")
        post_migrate.connect(_standings_after_migrate, sender=self, dispatch_uid="standings_after_migrate")


def _standings_after_migrate(sender, using, plan=None, **kwargs):
    # A migrated database that already holds townships gets its summaries now, not at the next beat;
    # a fresh one (no townships yet) gets them from the first reader (standings_ensure).
    from .models import TownshipStanding
    from .services import standings_ensure

    if TownshipStanding._meta.db_table in connections[using].introspection.table_names():
        standings_ensure()
