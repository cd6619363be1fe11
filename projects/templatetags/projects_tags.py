from django import template

from ..formatting import format_wan, format_yuan, mask_name

register = template.Library()


@register.filter
def wan(value) -> str:
    """Yuan shown as 万元 (offices' unit for project money): 2000000 -> 200."""
    return format_wan(value)


@register.filter
def yuan(value) -> str:
    """Yuan with thousands separators: 2000000 -> 2,000,000."""
    return format_yuan(value)


@register.filter
def masked(value) -> str:
    """张三明 -> 张*明."""
    return mask_name(value)


@register.filter
def pct(value) -> str:
    """A percentage annotation (Decimal or None) as a whole number, '—' when unknown."""
    if value is None:
        return "—"
    return f"{round(value):d}"


@register.filter
def field_errors(form) -> list[tuple[str, str]]:
    """(label, message) for every field error of a bound form (non-field errors excluded)."""
    return [(field.label, error) for field in form for error in field.errors]
