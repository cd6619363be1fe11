from django import template

from ..numbers import plain_number

register = template.Library()


@register.filter
def plain(value) -> str:
    """A quantity without exponent or trailing zeros: 50.00 -> 50, 12.50 -> 12.5."""
    return plain_number(value)


@register.simple_tag(takes_context=True)
def filter_chips(context, filterset):
    """The filters in use as chips: label, the value as shown, and the link that drops that one filter.

    Model choices are shown from the form's cleaned value (the row the filter already read), so the
    chips cost no query of their own.
    """
    from django import forms

    request = context["request"]
    form = filterset.form
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    chips = []
    for field in form:
        values = [v for v in request.GET.getlist(field.html_name) if v not in ("", None)]
        if not values:
            continue
        value = cleaned.get(field.name)
        if isinstance(field.field, forms.ModelChoiceField) and value is not None:
            items = value if isinstance(value, list | tuple) or hasattr(value, "model") else [value]
            shown = "、".join(str(item) for item in items)
        elif isinstance(field.field, forms.ChoiceField) and not isinstance(
            field.field, forms.ModelChoiceField
        ):
            labels = {str(key): label for key, label in field.field.choices}
            shown = "、".join(str(labels.get(v, v)) for v in values)
        else:
            shown = "、".join(values)
        rest = request.GET.copy()
        rest.pop(field.html_name, None)
        rest.pop("page", None)
        query = rest.urlencode()
        chips.append(
            {
                "label": field.label,
                "value": shown,
                "url": f"{request.path}?{query}" if query else request.path,
            }
        )
    return chips
