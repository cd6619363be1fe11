from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """What {{ value }} prints: localized, then escaped unless already safe."""
    return str(conditional_escape(localize(value)))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False is left out, True is a bare name."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict) -> str:
    """django/forms/widgets/select.html, character for character, rendered in Python.

    The template includes a template per option, and a township filter has an option per township
    of the province for a province user, so the includes dominated the page; this loop does not.
    """
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            value = conditional_escape(option["value"])
            # the included option template keeps its own last newline
            label = _text(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the template's last newline
    return "".join(parts)


class FormRenderer(TemplatesSetting):
    """Every form renders through templates/components/form.html and field.html: one form row."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            widget = context["widget"]
            if all(
                o["template_name"] == OPTION_TEMPLATE for _, group, _ in widget["optgroups"] for o in group
            ):
                return _select(widget)  # Widget._render marks it safe, as it does the template's
        return super().render(template_name, context, request)
