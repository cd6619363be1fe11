"""renovation.forms renders <select> in Python: the same HTML as Django's templates, character for character."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core.filtersets import YesNoAllWidget
from renovation.forms import FormRenderer
from townships.filtersets import TownshipFilterSet
from townships.models import Township

CHOICES = [
    ("", "---"),
    ("a", 'A & <b>"quoted"</b>'),
    (3, 3),
    ("safe", mark_safe("<i>safe</i>")),
    ("lazy", _("All")),
]
GROUPED = [("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z"), (_("yes"), [(1, "one")])]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    attrs = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(attrs={"data-x": 'q"<', "disabled": True, "hidden": False, "n": None}),
    )
    yes_no = forms.NullBooleanField(required=False)
    yes_no_all = forms.NullBooleanField(required=False, widget=YesNoAllWidget)


def both(field) -> tuple[str, str]:
    fast = field.as_widget()
    field.form.renderer = TemplatesSetting()
    stock = field.as_widget()
    field.form.renderer = FormRenderer()
    return fast, stock


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "plain": "a",
            "grouped": "y",
            "many": ["a", "3"],
            "attrs": "safe",
            "yes_no": "true",
            "yes_no_all": "false",
        },
        {"plain": "<script>", "grouped": "1", "many": ["lazy"]},
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_select_renders_as_the_template_would(data, language):
    with override(language):
        form = Everything(data or None, renderer=FormRenderer())
        for name in form.fields:
            fast, stock = both(form[name])
            assert fast == stock, name


@pytest.mark.django_db
def test_a_model_choice_filter_renders_as_the_template_would(lishui):
    filterset = TownshipFilterSet({"county": "331102"}, Township.objects.all())
    form = filterset.form
    form.renderer = FormRenderer()
    for name in form.fields:
        fast, stock = both(form[name])
        assert fast == stock, name
    assert 'value="331102" selected>' in str(form["county"])
