import urllib.parse

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CHANNEL_EVENTS, ChannelStatus, Delivery, NotificationLevel
from .models import Channel, NotificationPreference


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Besides the inbox"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        initial=Delivery.EMAIL,
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        help_text=NotificationPreference._meta.get_field("mobile").help_text,
        validators=NotificationPreference._meta.get_field("mobile").validators,
    )


def _check_webhook(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return value
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise forms.ValidationError(_("Paste the robot's whole webhook address, starting with https://."))
    return value


class CredentialFields(forms.Form):
    """Write-only: what is typed is encrypted; the page never renders a stored value back."""

    webhook = forms.CharField(
        label=_("Webhook address"),
        required=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the stored address."),
    )
    secret = forms.CharField(
        label=_("Signing secret (DingTalk 加签)"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the stored secret."),
    )
    clear_secret = forms.BooleanField(label=_("Remove the stored secret"), required=False)

    def clean_webhook(self):
        return _check_webhook(self.cleaned_data.get("webhook"))


class ChannelForm(CredentialFields, forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events it carries"),
        required=False,
        choices=[(str(level), NotificationLevel(level).label) for level in CHANNEL_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ChannelStatus.ACTIVE, ChannelStatus.ACTIVE.label),
            (ChannelStatus.PAUSED, ChannelStatus.PAUSED.label),
        ],
        help_text=_("A failed channel is set active again here once its address or secret is fixed."),
    )

    class Meta:
        model = Channel
        fields = ["name", "kind", "county", "events", "min_severity", "mention", "status"]

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            self.fields["county"].queryset = counties
        if self.instance.pk is None:
            self.fields["webhook"].required = True
            self.fields["webhook"].help_text = ""
            self.fields["secret"].help_text = _("DingTalk robots with 加签 on; empty for WeCom.")
            del self.fields["clear_secret"]


class ChannelAdminForm(CredentialFields, forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["name", "kind", "city", "county", "events", "min_severity", "mention", "status"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("webhook"):
            self.add_error("webhook", _("Paste the robot's whole webhook address, starting with https://."))
        return cleaned
