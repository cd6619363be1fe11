"""The township picker of filters and forms: a name typed or suggested, or an id, within the user's scope.

A province user may see 1,191 townships: a <select> listing them all made every list page print
them. The field takes what a person types (碧湖, 碧湖镇, 碧湖镇（莲都区）, a statistics code) or the id an
API client sends, and resolves it within the queryset the filterset scoped to the user.
"""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.widgets import SuggestInput

SUGGEST_URL = reverse_lazy("townships:township_suggest")
LABEL = re.compile(r"^(?P<name>[^（(]+)[（(](?P<county>[^）)]+)[）)]$")


def township_label(township) -> str:
    """What the picker shows and accepts back; the county tells apart towns of one name (城关镇)."""
    return f"{township.name}（{township.county.name}）"


def township_search(queryset, text: str):
    """Townships of `queryset` that `text` names: exact names first, then names that contain it."""
    text = text.strip()
    match = LABEL.match(text)
    if match:
        text = match["name"].strip()
        queryset = queryset.filter(county__name=match["county"].strip())
    exact = queryset.filter(Q(name=text) | Q(official_name=text) | Q(code=text))
    if exact.exists():
        return exact
    return queryset.filter(
        Q(name__contains=text) | Q(official_name__contains=text) | Q(aliases__contains=text)
    )


class TownshipChoiceField(forms.ModelChoiceField):
    widget = SuggestInput
    default_error_messages = {
        "not_found": _("No township named “%(text)s” is in your scope."),
        "ambiguous": _("%(count)s townships match “%(text)s”; choose one from the suggestions."),
    }

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("widget", SuggestInput(url=SUGGEST_URL))
        super().__init__(queryset, **kwargs)

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return township_label(value)
        if value in self.empty_values:
            return ""
        text = str(value).strip()
        if text.isdigit() and len(text) < 9:
            names = self.queryset.filter(pk=text).values_list("name", "county__name").first()
            return "{}（{}）".format(*names) if names else text
        try:  # what was typed reads back as the township it chose, when it chose one
            return township_label(
                self.queryset.model.objects.select_related("county").get(pk=self.to_python(text).pk)
            )
        except forms.ValidationError:
            return text

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text.isdigit() and len(text) < 9:  # an id; statistics codes have 9 or 12 digits
            return super().to_python(text)
        matches = list(township_search(self.queryset, text)[:2])
        if not matches:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="invalid_choice", params={"text": text}
            )
        if len(matches) > 1:
            count = township_search(self.queryset, text).count()
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="invalid_choice", params={"text": text, "count": count}
            )
        return matches[0]


class TownshipFilter(django_filters.ModelChoiceFilter):
    field_class = TownshipChoiceField
