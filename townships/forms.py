from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import EVIDENCE_ACCEPT
from core.numbers import plain_number

from .models import ProgressReport, Target
from .scope import scoped


class TargetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.township.name} · {obj.track.name}（{plain_number(obj.quantity)} {obj.unit}）"


class ProgressReportForm(forms.ModelForm):
    """Cumulative progress against one target; the service checks the rules and saves."""

    target = TargetChoiceField(queryset=Target.objects.none(), label=_("target"))

    class Meta:
        model = ProgressReport
        fields = ["target", "reported_on", "cumulative_quantity", "note", "evidence"]
        widgets = {
            "reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            scoped(Target.objects.all(), user)
            .select_related("township", "track")
            .order_by("township__code", "track__position")
        )


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class TownshipLocationForm(forms.Form):
    latitude = forms.DecimalField(label=_("latitude"), max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label=_("longitude"), max_digits=9, decimal_places=6, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data
