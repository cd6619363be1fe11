"""The township page's section of open findings (registered in InspectionsConfig.ready)."""

from django.utils.timezone import localdate

from core.panels import Panel
from townships.scope import scoped

from .models import Finding, YellowCard


def findings_panel(request, township):
    findings = (
        scoped(Finding.objects.open(), request.user)
        .filter(township=township)
        .select_related("track", "assignee")
        .with_days_overdue(localdate())
        .order_by("deadline", "pk")
    )
    rows = list(findings[:51])
    return Panel(
        template_name="inspections/_township_panel.html",
        context={"township": township, "findings": rows[:50], "more": len(rows) > 50},
    )


def yellow_card_panel(request, township):
    """The township's active yellow card, prominent and in colour above the registry facts."""
    card = (
        scoped(YellowCard.objects.active(), request.user)
        .filter(township=township)
        .with_item_counts()
        .select_related("issued_by")
        .first()
    )
    if card is None:
        return None
    return Panel(template_name="inspections/_yellowcard_panel.html", context={"card": card})


def guidance_panel(request, township):
    """The township's latest specialist guidance visits (专项指导), whatever the track."""
    from .models import GuidanceVisit
    from .permissions import can_record_guidance

    visits = list(
        scoped(GuidanceVisit.objects.all(), request.user)
        .filter(township=township)
        .select_related("track", "team")
        .order_by("-visited_on", "-pk")[:10]
    )
    return Panel(
        template_name="inspections/_guidance_panel.html",
        context={
            "township": township,
            "visits": visits,
            "can_record": can_record_guidance(request.user, township),
        },
    )
