import datetime

from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from inspections.forms import FindingTermsForm
from inspections.models import Finding
from townships.limits import TEXT_MAX_LENGTH
from townships.models import Track

# The usual time a township gets to fix what a grid officer saw.
DEFAULT_DAYS = 30


class AcceptForm(FindingTermsForm):
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), label=_("problem description")
    )
    track = forms.ModelChoiceField(
        queryset=Track.objects.order_by("position"), required=False, label=_("track")
    )
    field_order = ["description", "track"]  # then the terms, as the page has always shown them

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
