from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.querysets import teams_visible_to
from townships.scope import township_choices

from .choices import Decision, Level, Round
from .models import Expert


class PlanProposeForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2016, max_value=2035)
    township = forms.ModelChoiceField(label=_("township"), queryset=None)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = township_choices(user) if user else forms.ModelChoiceField.queryset


class ApplicationForm(forms.Form):
    township = forms.ModelChoiceField(label=_("township"), queryset=None)
    year = forms.IntegerField(label=_("year"), min_value=2016, max_value=2035)
    round = forms.ChoiceField(label=_("round"), choices=Round.choices)
    self_score = forms.DecimalField(
        label=_("self-assessment score"), min_value=0, max_digits=7, decimal_places=2
    )
    self_assessment = forms.CharField(
        label=_("self-assessment"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = township_choices(user)


class ReviewScheduleForm(forms.Form):
    level = forms.ChoiceField(label=_("level"), choices=Level.choices)
    reviewed_on = forms.DateField(label=_("review date"), widget=forms.DateInput(attrs={"type": "date"}))
    teams = forms.ModelMultipleChoiceField(label=_("groups"), queryset=None, required=False)
    experts = forms.ModelMultipleChoiceField(label=_("experts from the pool"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams_visible_to(user) if user else forms.ModelChoiceField.queryset
        self.fields["experts"].queryset = Expert.objects.filter(active=True)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=Decision.choices)
    note = forms.CharField(label=_("note"), required=False, max_length=5000)


class SpotCheckForm(forms.Form):
    checked_on = forms.DateField(label=_("check date"), widget=forms.DateInput(attrs={"type": "date"}))
    passed = forms.TypedChoiceField(
        label=_("result"),
        choices=[("yes", _("Title kept")), ("no", _("Failed: revoke the title (摘帽)"))],
        coerce=lambda v: v == "yes",
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SchemeImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
