"""The projects section of the township page (core.panels), without townships importing us."""

from core.panels import Panel
from townships.models import Township

from .querysets import townships_with_project_rollup


def township_projects_panel(request, township) -> Panel | None:
    # The township page already checked scope; one query gives the whole summary.
    summary = townships_with_project_rollup(Township.objects.filter(pk=township.pk)).values(
        "project_count",
        "fast_track_count",
        "budget_total",
        "households_total",
        "households_unsigned",
        "households_signed",
        "households_demolished",
        "households_renovated",
        "area_demolished",
        "area_target",
        "area_percent",
    )[0]
    return Panel(
        template_name="projects/_township_panel.html", context={"township": township, "summary": summary}
    )
