from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from townships.models import County, Track

from ..choices import GroupBy, WarningColour
from ..models import RankingEntry, WarningSnapshot


class ProgressQuerySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=GroupBy.choices, default=GroupBy.TOWNSHIP)
    county = serializers.SlugRelatedField(
        slug_field="code", queryset=County.objects.all(), required=False, help_text=_("county code")
    )
    track = serializers.SlugRelatedField(
        slug_field="code", queryset=Track.objects.all(), required=False, help_text=_("track code")
    )


def _pct():
    return serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


def _qty():
    return serializers.DecimalField(max_digits=16, decimal_places=2)


class ProgressRowSerializer(serializers.Serializer):
    """One roll-up row; `code` is the county code, township code or track code."""

    group_by = serializers.ChoiceField(choices=GroupBy.choices)
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    county = serializers.CharField(allow_null=True, help_text=_("county code (township rows)"))
    targets = serializers.IntegerField()
    target_quantity = _qty()
    done_quantity = _qty()
    percent = _pct()
    expected_percent = _pct()
    gap = _pct()
    colour = serializers.ChoiceField(choices=WarningColour.choices)
    open_findings = serializers.IntegerField()
    overdue_findings = serializers.IntegerField()


class ProgressPageSerializer(serializers.Serializer):
    """The paginated envelope of `progress/` (for the schema)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProgressRowSerializer(many=True)
    as_of = serializers.DateTimeField(
        allow_null=True,
        help_text=_("when the summary rows were last refreshed: the answer is as fresh as this"),
    )


class WarningSnapshotSerializer(serializers.ModelSerializer):
    township_code = serializers.CharField(source="township.code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = WarningSnapshot
        fields = [
            "id",
            "period",
            "township",
            "township_code",
            "township_name",
            "county",
            "category",
            "colour",
            "target_count",
            "percent",
            "expected_percent",
            "gap",
            "open_findings",
            "overdue_findings",
            "closure_rate",
            "active_yellow_cards",
            "score",
            "taken_at",
        ]


class RankingEntrySerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="ranking.period", read_only=True)
    status = serializers.CharField(source="ranking.status", read_only=True)
    published_at = serializers.DateTimeField(source="ranking.published_at", read_only=True, allow_null=True)
    township_code = serializers.CharField(source="township.code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    colour = serializers.CharField(source="snapshot.colour", read_only=True)
    percent = serializers.DecimalField(
        source="snapshot.percent", max_digits=7, decimal_places=2, read_only=True, allow_null=True
    )
    expected_percent = serializers.DecimalField(
        source="snapshot.expected_percent", max_digits=7, decimal_places=2, read_only=True, allow_null=True
    )
    closure_rate = serializers.DecimalField(
        source="snapshot.closure_rate", max_digits=7, decimal_places=2, read_only=True, allow_null=True
    )
    overdue_findings = serializers.IntegerField(source="snapshot.overdue_findings", read_only=True)
    active_yellow_cards = serializers.IntegerField(source="snapshot.active_yellow_cards", read_only=True)

    class Meta:
        model = RankingEntry
        fields = [
            "id",
            "period",
            "status",
            "published_at",
            "township",
            "township_code",
            "township_name",
            "county",
            "category",
            "score",
            "county_rank",
            "category_rank",
            "colour",
            "percent",
            "expected_percent",
            "closure_rate",
            "overdue_findings",
            "active_yellow_cards",
        ]
