from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.models import City, County, ProgressReport, Target, Township, Track


class ThroughNullable:
    """A read-only field whose dotted source crosses a nullable relation: null there, in every answer.

    `default=None` alone does that, except that DRF skips a field's default on a partial serializer, so
    a PATCH answer dropped the key the schema lists as required. The lean list path (core.api.lean)
    reads the same `default=None`.
    """

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, default=None, allow_null=True)
        super().__init__(**kwargs)

    def get_default(self):
        return None


class NullableCharField(ThroughNullable, serializers.CharField):
    pass


@extend_schema_field(OpenApiTypes.INT)  # every scoped object here has an integer id
class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id looked up only among what the caller may see (`scope(user)` -> queryset).

    An id of another city's object gets DRF's own "无效的主键 … 对象不存在。", word for word the answer
    for an id that does not exist, so a refusal never tells what exists elsewhere.
    """

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.scope(getattr(request, "user", None))


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["id", "code", "name"]


class CountySerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = County
        fields = ["id", "code", "name", "city"]


class TownshipSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Township
        fields = [
            "id",
            "code",
            "name",
            "official_name",
            "aliases",
            "county",
            "county_name",
            "kind",
            "category",
            "parent",
            "in_programme",
            "plan_year",
            "status",
            "latitude",
            "longitude",
            "note",
        ]


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["id", "code", "name", "name_en", "position"]


class TargetSerializer(serializers.ModelSerializer):
    township_code = serializers.CharField(source="township.code", read_only=True)
    track = serializers.SlugRelatedField(slug_field="code", read_only=True)
    done_quantity = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "township",
            "township_code",
            "track",
            "description",
            "quantity",
            "unit",
            "start_date",
            "due_date",
            "done_quantity",
        ]


class ProgressReportSerializer(serializers.ModelSerializer):
    township = serializers.IntegerField(source="target.township_id", read_only=True)
    township_code = serializers.CharField(source="target.township.code", read_only=True)
    track = serializers.CharField(source="target.track.code", read_only=True)
    reported_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "target",
            "township",
            "township_code",
            "track",
            "reported_on",
            "cumulative_quantity",
            "note",
            "evidence",
            "reported_by",
            "created_at",
        ]
        read_only_fields = ["target", "evidence", "created_at"]


class ProgressReportInputSerializer(serializers.Serializer):
    """A new report; `target` must be a target in the caller's scope (else: does not exist)."""

    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.none())
    reported_on = serializers.DateField(validators=[plausible_date])
    cumulative_quantity = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from townships.scope import scoped

        request = self.context.get("request")
        if request is not None:
            self.fields["target"].queryset = scoped(Target.objects.all(), request.user)
