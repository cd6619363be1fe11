from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from core.offline import register_offline_page, register_snapshot_section
        from core.panels import register_township_panel

        from .exports import register_exports
        from .panels import findings_panel, guidance_panel, yellow_card_panel

        register_exports()

        register_township_panel(order=10, provider=yellow_card_panel)
        register_township_panel(order=60, provider=findings_panel)
        register_township_panel(order=70, provider=guidance_panel)
        # Field work without signal (issue 19): the inspection form opens offline for those who file.
        register_offline_page(
            url_name="inspections:inspection_create",
            allowed=_files_inspections,
            static_files=["inspections/inspection_form.js"],
        )
        register_snapshot_section("teams", _teams_section)


def _files_inspections(user) -> bool:
    from townships.scope import has_role

    from .permissions import FILERS

    return has_role(user, FILERS)


def _teams_section(user) -> list[dict]:
    from .querysets import teams_visible_to

    return [
        {"id": t.pk, "name": t.name, "kind": t.kind, "county": t.county_id}
        for t in teams_visible_to(user).filter(active=True).order_by("name")
    ]
