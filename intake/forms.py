import datetime

from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from inspections.choices import Severity
from inspections.models import Finding
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.models import Track

# The usual time a township gets to fix what a grid officer saw.
DEFAULT_DAYS = 30


class AcceptForm(forms.Form):
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), label=_("problem description")
    )
    track = forms.ModelChoiceField(
        queryset=Track.objects.order_by("position"), required=False, label=_("track")
    )
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.MINOR, label=_("severity"))
    deadline = forms.DateField(
        validators=[plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label=_("deadline"),
    )
    responsible_person = forms.CharField(max_length=100, required=False, label=_("person responsible"))

    @classmethod
    def for_event(cls, event):
        return cls(
            initial={
                "description": event.description,
                "track": event.track_id,
                "deadline": localdate() + datetime.timedelta(days=DEFAULT_DAYS),
            }
        )


class MergeForm(forms.Form):
    finding = forms.ModelChoiceField(queryset=Finding.objects.none(), label=_("open item to merge into"))

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["finding"].queryset = candidates


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), label=_("reason for rejecting")
    )
