"""Sections that higher layers add to the township page, without townships importing them.

An app registers a provider in its AppConfig.ready():

    from core.panels import register_township_panel
    register_township_panel(order=20, provider=my_panel)   # my_panel(request, township) -> Panel | None
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


_providers: list[tuple[int, Callable]] = []


def register_township_panel(*, order: int, provider: Callable) -> None:
    """Add a section to the township page; `provider(request, township)` returns a Panel or None."""
    if provider not in [p for _o, p in _providers]:
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])


def township_panels(request, township) -> list[Panel]:
    panels = []
    for order, provider in _providers:
        panel = provider(request, township)
        if panel is not None:
            panel.order = order
            panels.append(panel)
    return panels
