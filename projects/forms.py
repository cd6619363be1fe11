from django import forms
from django.utils.translation import gettext_lazy as _

from core.submission import SubmissionTokenMixin
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.people import PersonChoiceField

from .choices import FundingSource
from .formatting import format_yuan
from .models import AgentOwner, Household, Project
from .permissions import editable_townships, manager_choices, manager_problem
from .rules import default_threshold
from .services.households import HOUSEHOLD_EDITABLE_FIELDS
from .services.projects import PROJECT_EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProjectForm(SubmissionTokenMixin, forms.ModelForm):
    """The model's clean() applies the fast-track rule, so the form refuses what the model refuses."""

    class Meta:
        model = Project
        fields = list(PROJECT_EDITABLE_FIELDS)
        widgets = {
            "approval_deadline": DateInput(),
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = editable_townships(user).select_related("county").order_by("code")
        self.fields["agent_owner"].queryset = AgentOwner.objects.filter(archived=False)
        township = self.instance.township if self.instance.pk else None
        manager = self.fields["manager"]
        self.fields["manager"] = PersonChoiceField(
            queryset=manager_choices(user, township),
            required=False,
            label=manager.label,
            help_text=manager.help_text,
        )
        self.fields["procurement_mode"].help_text = _(
            "Fast-track modes (self-contracting, design while building, build first) need a budget under "
            "%(yuan)s yuan unless the county sets its own threshold, or a scattered work hard to price."
        ) % {"yuan": format_yuan(default_threshold())}

    def clean(self):
        cleaned = super().clean()
        problem = manager_problem(cleaned.get("township"), cleaned.get("manager"))
        if problem:
            self.add_error("manager", problem)
        return cleaned


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("progress %"), min_value=0, max_value=100)
    reported_on = forms.DateField(validators=[plausible_date], label=_("report date"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class AdvanceForm(forms.Form):
    to_status = forms.CharField(widget=forms.HiddenInput())
    on = forms.DateField(validators=[plausible_date], label=_("date"), widget=DateInput())


class FastTrackApprovalForm(forms.Form):
    reviewer = forms.CharField(label=_("fast-track reviewer"), max_length=100)
    approved_on = forms.DateField(
        validators=[plausible_date], label=_("fast-track approval date"), widget=DateInput()
    )
    notes = forms.CharField(
        label=_("fast-track review notes"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ApprovalsCompletedForm(forms.Form):
    completed_on = forms.DateField(
        validators=[plausible_date], label=_("approvals completed on"), widget=DateInput()
    )


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    due_date = forms.DateField(validators=[plausible_date], label=_("due date"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(validators=[plausible_date], label=_("done on"), widget=DateInput())


class FundingForm(forms.Form):
    source_level = forms.ChoiceField(label=_("source level"), choices=FundingSource.choices)
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=14, decimal_places=2, min_value=0.01)
    received_on = forms.DateField(
        validators=[plausible_date], label=_("date"), widget=DateInput(), required=False
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class ExpenditureForm(forms.Form):
    spent_on = forms.DateField(validators=[plausible_date], label=_("date"), widget=DateInput())
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=14, decimal_places=2, min_value=0.01)
    description = forms.CharField(label=_("description"), max_length=300)


class HouseholdForm(SubmissionTokenMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = list(HOUSEHOLD_EDITABLE_FIELDS)


class HouseholdAdvanceForm(forms.Form):
    to_stage = forms.CharField(widget=forms.HiddenInput())
    on = forms.DateField(validators=[plausible_date], label=_("date"), widget=DateInput())


class HouseholdImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "Columns: 户主姓名, 地址, 面积(m²), 阶段, 签约日期, 拆除日期, 整治日期, 贷款银行, 原月利率(‰), "
            "优惠月利率(‰), 备注. The first row holds the column names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class AgentOwnerForm(SubmissionTokenMixin, forms.ModelForm):
    class Meta:
        model = AgentOwner
        fields = ["company", "contact", "phone", "contract_date", "fee", "note"]
        widgets = {"contract_date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}
