"""A text input that offers matching choices as the user types, fetched from a JSON endpoint.

The browser's own <datalist> draws and announces the suggestions, so the control stays a plain,
accessible text field; static/js/app.js fills the list on demand (data-suggest-url). Without
script the user types a name and the form field resolves it.
"""

from django import forms
from django.utils.html import format_html


class SuggestInput(forms.TextInput):
    def __init__(self, url: str = "", attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        list_id = f"{widget_attrs.get('id') or name}-suggestions"
        widget_attrs.update({"list": list_id, "autocomplete": "off", "data-suggest-url": str(self.url)})
        context["widget"]["list_id"] = list_id
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        html = self._render(self.template_name, context, renderer)
        return html + format_html('<datalist id="{}"></datalist>', context["widget"]["list_id"])
