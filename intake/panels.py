"""The township page's section of grid reports waiting for triage (registered in IntakeConfig.ready)."""

from core.panels import Panel

from .models import GridEvent


def intake_panel(request, township):
    events = (
        GridEvent.objects.visible_to(request.user)
        .pending()
        .filter(township=township)
        .select_related("track")
        .order_by("-received_at", "-pk")
    )
    rows = list(events[:11])
    if not rows:
        return None
    return Panel(
        template_name="intake/_township_panel.html",
        context={"township": township, "events": rows[:10], "more": len(rows) > 10},
    )
