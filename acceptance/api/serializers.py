from rest_framework import serializers

from inspections.models import Team
from townships.limits import plausible_date
from townships.models import Township
from townships.scope import visible_townships

from ..choices import Decision, Level, Round
from ..models import (
    Application,
    Expert,
    ItemScore,
    PlanEntry,
    Review,
    Scheme,
    SchemeComponent,
    SchemeItem,
    SpotCheck,
)


class _ScopedTownship:
    """Another scope's township answers exactly like one that does not exist."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["township"].queryset = visible_townships(request.user)
        return fields


class PlanEntrySerializer(_ScopedTownship, serializers.ModelSerializer):
    township = serializers.PrimaryKeyRelatedField(queryset=Township.objects.all())
    township_name = serializers.CharField(source="township.name", read_only=True)
    county = serializers.CharField(source="township.county.code", read_only=True)
    year = serializers.IntegerField(min_value=2016, max_value=2035)

    class Meta:
        model = PlanEntry
        fields = [
            "id",
            "year",
            "township",
            "township_name",
            "county",
            "status",
            "proposed_at",
            "confirmed_at",
        ]
        read_only_fields = ["status", "proposed_at", "confirmed_at"]


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeComponent
        fields = ["code", "weight"]


class SchemeItemSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)
    track = serializers.CharField(source="track.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = SchemeItem
        fields = [
            "id",
            "code",
            "parent",
            "component",
            "track",
            "name",
            "max_points",
            "method",
            "deduction_rule",
            "deduction_per",
            "is_veto",
        ]


class SchemeSerializer(serializers.ModelSerializer):
    components = ComponentSerializer(many=True, read_only=True)
    items = SchemeItemSerializer(many=True, read_only=True)

    class Meta:
        model = Scheme
        fields = [
            "id",
            "year",
            "version",
            "number",
            "title",
            "pass_mark",
            "model_threshold",
            "active",
            "components",
            "items",
        ]


class ExpertSerializer(serializers.ModelSerializer):
    track = serializers.CharField(source="track.code", read_only=True, allow_null=True, default=None)
    county = serializers.CharField(source="county.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Expert
        fields = ["id", "name", "unit", "track", "county", "active"]


class ApplicationSerializer(_ScopedTownship, serializers.ModelSerializer):
    township = serializers.PrimaryKeyRelatedField(queryset=Township.objects.all())
    township_name = serializers.CharField(source="township.name", read_only=True)
    township_status = serializers.CharField(source="township.status", read_only=True)
    county = serializers.CharField(source="township.county.code", read_only=True)
    year = serializers.IntegerField(min_value=2016, max_value=2035)
    round = serializers.ChoiceField(choices=Round.choices, default=Round.MID_YEAR)
    self_score = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0)

    class Meta:
        model = Application
        fields = [
            "id",
            "township",
            "township_name",
            "township_status",
            "county",
            "year",
            "round",
            "scheme",
            "self_score",
            "self_assessment",
            "status",
            "model_status",
            "filed_at",
            "decided_at",
        ]
        read_only_fields = ["scheme", "status", "model_status", "filed_at", "decided_at"]


class ItemScoreSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = ItemScore
        fields = ["item", "code", "deductions", "points", "vetoed", "note", "finding"]


class ReviewSerializer(serializers.ModelSerializer):
    scores = ItemScoreSerializer(many=True, read_only=True)
    teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    experts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "application",
            "level",
            "reviewed_on",
            "teams",
            "experts",
            "status",
            "total",
            "vetoed",
            "result",
            "scored_at",
            "scores",
        ]


class ScoreInput(serializers.Serializer):
    item = serializers.IntegerField(min_value=1)
    deductions = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    points = serializers.DecimalField(
        max_digits=7, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    vetoed = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ReviewInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    reviewed_on = serializers.DateField(validators=[plausible_date])
    teams = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Team.objects.all(), required=False, default=list
    )
    experts = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Expert.objects.filter(active=True), required=False, default=list
    )
    scores = ScoreInput(many=True)


class DecideInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class SpotCheckSerializer(serializers.ModelSerializer):
    township = serializers.PrimaryKeyRelatedField(read_only=True)
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all())
    checked_on = serializers.DateField(validators=[plausible_date])

    class Meta:
        model = SpotCheck
        fields = ["id", "application", "township", "checked_on", "passed", "note", "recorded_at"]
        read_only_fields = ["recorded_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # another scope's application answers like one that does not exist
            fields["application"].queryset = Application.objects.visible_to(request.user)
        return fields
