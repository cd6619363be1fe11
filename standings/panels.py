from core.panels import Panel

from .dashboards import township_panel_context


def standing_panel(request, township):
    """The township's warning colour and its progress chart, above the registry facts."""
    context = township_panel_context(township)
    if context is None:
        return None
    return Panel(template_name="standings/panel.html", context=context)
