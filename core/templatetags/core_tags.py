from django import template

from ..numbers import plain_number

register = template.Library()


@register.filter
def plain(value) -> str:
    """A quantity without exponent or trailing zeros: 50.00 -> 50, 12.50 -> 12.5."""
    return plain_number(value)


@register.simple_tag(takes_context=True)
def filter_chips(context, filterset):
    """The filters in use as chips: label, the value as shown, and the link that drops that one filter."""
    request = context["request"]
    form = filterset.form
    chips = []
    for field in form:
        raw = request.GET.getlist(field.html_name)
        values = [v for v in raw if v not in ("", None)]
        if not values:
            continue
        choices = dict(getattr(field.field, "choices", None) or ())
        shown = []
        for value in values:
            label = choices.get(value)
            if label is None:
                try:
                    label = next((lab for key, lab in choices.items() if str(key) == value), value)
                except TypeError:
                    label = value
            shown.append(str(label))
        rest = request.GET.copy()
        rest.pop(field.html_name, None)
        rest.pop("page", None)
        query = rest.urlencode()
        chips.append(
            {
                "label": field.label,
                "value": "、".join(shown),
                "url": f"{request.path}?{query}" if query else request.path,
            }
        )
    return chips
