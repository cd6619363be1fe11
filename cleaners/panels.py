from core.panels import Panel

from .models import Cleaner


def cleaners_panel(request, township):
    """The township page: its cleaners at work and the certified rate (one aggregate query)."""
    totals = Cleaner.objects.filter(township=township).totals()
    return Panel(template_name="cleaners/panel.html", context={"totals": totals, "township": township})
