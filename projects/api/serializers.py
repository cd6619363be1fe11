from rest_framework import serializers

from townships.api.serializers import NullableCharField
from townships.limits import plausible_date
from townships.models import Track
from townships.scope import scoped, visible_townships

from ..choices import HouseholdStage, ProcurementMode, ProjectStatus
from ..formatting import mask_name
from ..models import AgentOwner, Household, Milestone, Project
from ..permissions import manager_choices, manager_problem
from ..rules import fast_track_violation
from ..services.households import HOUSEHOLD_EDITABLE_FIELDS
from ..services.projects import PROJECT_EDITABLE_FIELDS

# Set by the workflow actions (advance, fast-track approval, progress reports), never by a PATCH.
WORKFLOW_FIELDS = (
    "fast_track_reviewer",
    "fast_track_approved_on",
    "fast_track_notes",
    "approvals_completed_on",
    "status",
    "approved_on",
    "started_on",
    "completed_on",
    "accepted_on",
    "progress_percent",
)


class ProjectSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)
    county = serializers.CharField(source="township.county.code", read_only=True)
    track = serializers.SlugRelatedField(slug_field="code", queryset=Track.objects.all())
    agent_owner = serializers.PrimaryKeyRelatedField(
        queryset=AgentOwner.objects.filter(archived=False), allow_null=True, required=False
    )
    agent_owner_company = NullableCharField(source="agent_owner.company")
    fast_track = serializers.BooleanField(source="is_fast_track", read_only=True)
    funding_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    spent_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    # null while the project has no funding (nothing to be a percentage of)
    spent_percent = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True, allow_null=True)
    over_budget = serializers.BooleanField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            *PROJECT_EDITABLE_FIELDS,
            "township_name",
            "county",
            "agent_owner_company",
            "fast_track",
            *WORKFLOW_FIELDS,
            "funding_total",
            "spent_total",
            "spent_percent",
            "over_budget",
        ]
        read_only_fields = list(WORKFLOW_FIELDS)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "township" in fields:
            fields["township"].queryset = visible_townships(request.user)
            fields["manager"].queryset = manager_choices(request.user)
        return fields

    def validate(self, attrs):
        def value(name, default=None):
            if name in attrs:
                return attrs[name]
            return getattr(self.instance, name, default) if self.instance else default

        township = value("township")
        reason = fast_track_violation(
            procurement_mode=value("procurement_mode", ProcurementMode.OPEN_TENDER),
            budget=value("budget"),
            scattered_hard_to_price=bool(value("scattered_hard_to_price", False)),
            county_id=township.county_id if township else None,
        )
        if reason:
            raise serializers.ValidationError({"procurement_mode": [reason]})
        problem = manager_problem(township, value("manager"))
        if problem:
            raise serializers.ValidationError({"manager": [problem]})
        return attrs


class MilestoneSerializer(serializers.ModelSerializer):
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "project", "name", "due_date", "done_on", "note", "overdue"]
        read_only_fields = ["project", "done_on"]


class HouseholdListSerializer(serializers.ModelSerializer):
    """Lists never carry the full owner name."""

    owner_name = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = [
            "id",
            "project",
            "owner_name",
            "address",
            "area",
            "stage",
            "signed_on",
            "demolished_on",
            "renovated_on",
            "incentive_bank",
            "loan_rate_before",
            "loan_rate_after",
        ]

    def get_owner_name(self, obj) -> str:
        return mask_name(obj.owner_name)


class HouseholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = [
            "id",
            "project",
            *HOUSEHOLD_EDITABLE_FIELDS,
            "stage",
            "signed_on",
            "demolished_on",
            "renovated_on",
        ]
        read_only_fields = ["stage", "signed_on", "demolished_on", "renovated_on"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if "project" in fields and not fields["project"].read_only and request is not None:
            # An out-of-scope project reads as a missing one.
            fields["project"].queryset = scoped(Project.objects.active(), request.user)
        return fields


class ProjectAdvanceInput(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ProjectStatus.choices)
    on = serializers.DateField(validators=[plausible_date], required=False)


class ProgressInput(serializers.Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100)
    reported_on = serializers.DateField(validators=[plausible_date], required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MilestoneDoneInput(serializers.Serializer):
    done_on = serializers.DateField(validators=[plausible_date], required=False)


class HouseholdAdvanceInput(serializers.Serializer):
    to_stage = serializers.ChoiceField(choices=HouseholdStage.choices)
    on = serializers.DateField(validators=[plausible_date], required=False)
