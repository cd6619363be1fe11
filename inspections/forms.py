from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.submission import SubmissionTokenMixin
from townships.fields import TownshipChoiceField
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.models import Township, Track
from townships.people import PersonChoiceField
from townships.scope import people_for, visible_townships

from .choices import GuidanceTopic, InspectionMode, PhotoStage, Severity, TeamKind
from .models import Bulletin, InspectionRound, Team
from .querysets import rounds_visible_to, teams_visible_to


class CameraInput(forms.ClearableFileInput):
    """Several photos at once, straight from the phone camera."""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", "multiple": True, **(attrs or {})})


class PhotosField(forms.FileField):
    """Returns a list of uploads; the photo service validates each one (size, pixels, format)."""

    widget = CameraInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def assignee_choices(user, township=None):
    """People an item may be assigned to, by name and place (township staff, county officials in scope)."""
    from .permissions import ASSIGNEE_ROLES

    return people_for(township, ASSIGNEE_ROLES, user=user)


class InspectionForm(SubmissionTokenMixin, forms.Form):
    township = forms.ModelChoiceField(queryset=None, label=_("township"))
    inspected_on = forms.DateField(
        validators=[plausible_date],
        label=_("inspection date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mode = forms.ChoiceField(choices=InspectionMode.choices, label=_("mode"))
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, label=_("team"))
    round = forms.ModelChoiceField(queryset=InspectionRound.objects.none(), required=False, label=_("round"))
    score = forms.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=100, required=False, label=_("score")
    )
    summary = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("summary"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = visible_townships(user).select_related("county").order_by("code")
        # Only the user's own rounds and teams are offered; another city's id is "not a valid choice".
        self.fields["team"].queryset = teams_visible_to(user).filter(active=True).order_by("name")
        self.fields["round"].queryset = rounds_visible_to(user).order_by("-starts_on", "-pk")


class FindingForm(forms.Form):
    track = forms.ModelChoiceField(
        queryset=Track.objects.order_by("position"), to_field_name="code", required=False, label=_("track")
    )
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), label=_("problem description")
    )
    location = forms.CharField(max_length=200, required=False, label=_("problem location"))
    latitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, label=_("latitude"))
    longitude = forms.DecimalField(max_digits=9, decimal_places=6, required=False, label=_("longitude"))
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.MINOR, label=_("severity"))
    deadline = forms.DateField(
        validators=[plausible_date],
        label=_("deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    assignee = PersonChoiceField(queryset=None, required=False, label=_("assignee"))
    responsible_person = forms.CharField(max_length=100, required=False, label=_("person responsible"))
    repeat_of = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        label=_("same problem as item No."),
        help_text=_("On a revisit: the number of the earlier item that is back."),
    )
    photos = PhotosField(required=False, label=_("photos"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Finding

        self.fields["assignee"].queryset = assignee_choices(user)
        self.fields["repeat_of"].queryset = Finding.objects.visible_to(user)


class BaseFindingFormSet(forms.BaseFormSet):
    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            user=self.user,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


FindingFormSet = forms.formset_factory(
    FindingForm,
    formset=BaseFindingFormSet,
    extra=1,
    min_num=0,
    max_num=settings.INSPECTION_MAX_FINDINGS,
    validate_max=True,
    absolute_max=settings.INSPECTION_MAX_FINDINGS,
)


class FindingSubmitForm(forms.Form):
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), label=_("what was done")
    )
    photos = PhotosField(required=False, label=_("photos after the fix"))


class VerifyForm(forms.Form):
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("note")
    )


class ChaseForm(forms.Form):
    note = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("note"),
        help_text=_("Optional: what you expect by when."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("reason for sending back"),
    )


class PhotoUploadForm(forms.Form):
    stage = forms.ChoiceField(choices=PhotoStage.choices, label=_("stage"))
    photos = PhotosField(label=_("photos"))


class BulletinForm(SubmissionTokenMixin, forms.ModelForm):
    townships = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("townships"),
        help_text=_("The bulletin lists the round's items of these townships; none chosen means all."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Bulletin
        fields = ["round", "number", "title", "issued_on", "issuing_office", "body"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["townships"].queryset = visible_townships(user).order_by("code")
        self.fields["round"].queryset = rounds_visible_to(user).order_by("-starts_on", "-pk")


class BulletinPublishForm(forms.Form):
    number = forms.CharField(
        max_length=50, label=_("document number"), help_text=_("For example 丽镇治办〔2019〕12号.")
    )
    issued_on = forms.DateField(
        validators=[plausible_date],
        label=_("issue date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RoundForm(forms.ModelForm):
    class Meta:
        model = InspectionRound
        fields = ["name", "starts_on", "ends_on", "note"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


# --- yellow cards, secretary items, deductions (issue 4) ---


class YellowCardIssueForm(SubmissionTokenMixin, forms.Form):
    township = forms.ModelChoiceField(queryset=None, label=_("township"))
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), label=_("reason")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = visible_townships(user).order_by("code")


class ExposureFieldsMixin(forms.Form):
    outlet = forms.CharField(
        max_length=100,
        required=False,
        label=_("outlet or programme"),
        help_text=_(
            "Required for media exposure and televised questioning, e.g. 丽水日报, 丽水电视台《问政》."
        ),
    )
    exposure_date = forms.DateField(
        validators=[plausible_date],
        required=False,
        label=_("exposure date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    link = forms.URLField(required=False, label=_("link"), assume_scheme="https")


class YellowCardEscalateForm(ExposureFieldsMixin):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), label=_("reason for escalating")
    )
    field_order = ["reason", "outlet", "exposure_date", "link"]


class YellowCardLiftForm(forms.Form):
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("note")
    )


class ProposalAcceptForm(ExposureFieldsMixin):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("reason"),
        help_text=_("Empty: the rule's text."),
    )
    field_order = ["reason", "outlet", "exposure_date", "link"]


class DismissForm(forms.Form):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), label=_("reason for dismissing")
    )


class SecretaryItemForm(SubmissionTokenMixin, forms.Form):
    township = forms.ModelChoiceField(queryset=None, label=_("township"))
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), label=_("assigned point")
    )
    assigning_leader = forms.CharField(max_length=100, label=_("assigning leader"))
    assignee = PersonChoiceField(queryset=None, required=False, label=_("cadre responsible (account)"))
    responsible_person = forms.CharField(max_length=100, required=False, label=_("cadre responsible"))
    location = forms.CharField(max_length=200, required=False, label=_("point location"))
    promised_date = forms.DateField(
        validators=[plausible_date],
        label=_("promised date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reply_required = forms.BooleanField(required=False, initial=True, label=_("written reply required"))
    track = forms.ModelChoiceField(
        queryset=Track.objects.order_by("position"), to_field_name="code", required=False, label=_("track")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = visible_townships(user).order_by("code")
        self.fields["assignee"].queryset = assignee_choices(user)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), label=_("written reply")
    )


class DeductionDecisionForm(forms.Form):
    note = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("note"),
        help_text=_("Required when waiving."),
    )


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), label=_("reason for archiving")
    )


class RestoreForm(forms.Form):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), label=_("reason for restoring")
    )


class AttachmentsField(PhotosField):
    """Several files at once (photos, PDF, Office); the service checks each one by its content."""

    widget = forms.ClearableFileInput

    def __init__(self, **kwargs):
        from core.files import EVIDENCE_ACCEPT

        widget = forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT})
        widget.allow_multiple_selected = True
        widget.attrs["multiple"] = True
        super().__init__(widget=widget, **kwargs)


class GuidanceVisitForm(SubmissionTokenMixin, forms.Form):
    """专项指导: a specialist group's visit to one township on one track."""

    township = TownshipChoiceField(queryset=Township.objects.none(), label=_("township"))
    track = forms.ModelChoiceField(queryset=Track.objects.order_by("position"), label=_("track"))
    team = forms.ModelChoiceField(queryset=None, label=_("specialist group"))
    visited_on = forms.DateField(
        validators=[plausible_date],
        label=_("visit date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    topics = forms.MultipleChoiceField(
        choices=GuidanceTopic.choices, widget=forms.CheckboxSelectMultiple, label=_("topics")
    )
    advice = forms.CharField(
        max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), label=_("advice given")
    )
    follow_ups = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("follow-up items"),
        help_text=_("One item per line; each may later go onto the rectification list."),
    )
    attachments = AttachmentsField(required=False, label=_("attachments"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = visible_townships(user).order_by("code")
        self.fields["team"].queryset = teams_visible_to(user).filter(kind=TeamKind.SPECIALIST, active=True)

    def clean_follow_ups(self):
        return [line.strip() for line in self.cleaned_data["follow_ups"].splitlines() if line.strip()]


class FindingTermsForm(forms.Form):
    """What something becomes an item of the rectification list with: how serious, by when, who.

    A guidance visit's follow-up point takes these alone; a grid report adds its text and track.
    """

    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.MINOR, label=_("severity"))
    deadline = forms.DateField(
        validators=[plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label=_("deadline"),
    )
    responsible_person = forms.CharField(max_length=100, required=False, label=_("person responsible"))
