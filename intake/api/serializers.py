from rest_framework import serializers

from inspections.models import Finding
from townships.limits import TEXT_MAX_LENGTH

from ..models import GridEvent, GridEventPhoto


def _degrees(limit: int):
    """A latitude or longitude as sent: optional, six decimals, within ±limit."""
    return serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-limit,
        max_value=limit,
        required=False,
        allow_null=True,
        default=None,
    )


class GridEventInSerializer(serializers.Serializer):
    """What a source system sends: JSON, or multipart/form-data when it carries photos."""

    source_system = serializers.CharField(max_length=40, help_text="The sending system's registered code.")
    external_id = serializers.CharField(max_length=100, help_text="The report's id in the source system.")
    township_code = serializers.CharField(max_length=12, help_text="The township's statistics code.")
    reported_at = serializers.DateTimeField(help_text="When the grid officer reported it (ISO 8601).")
    reporter = serializers.CharField(max_length=100, help_text="The grid officer's name.")
    grid_code = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    category = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="The source's category."
    )
    track = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="A track code, if known."
    )
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = _degrees(90)
    longitude = _degrees(180)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class GridEventFindingSerializer(serializers.ModelSerializer):
    """The finding an event became or joined, as the sending system follows it."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "status", "status_label", "deadline", "closed_at"]
        read_only_fields = fields


class GridEventPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = GridEventPhoto
        fields = ["id", "sha256", "content_type", "size", "original_name"]
        read_only_fields = fields


class GridEventSerializer(serializers.ModelSerializer):
    source_system = serializers.CharField(source="source.code", read_only=True)
    township_code = serializers.CharField(source="township.code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    county = serializers.CharField(source="township.county.code", read_only=True)
    track = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    finding = GridEventFindingSerializer(read_only=True, allow_null=True)
    photos = GridEventPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = GridEvent
        fields = [
            "id",
            "source_system",
            "external_id",
            "township",
            "township_code",
            "township_name",
            "county",
            "reported_at",
            "reporter",
            "grid_code",
            "category",
            "track",
            "description",
            "address",
            "latitude",
            "longitude",
            "status",
            "status_label",
            "reject_reason",
            "finding",
            "received_at",
            "triaged_at",
            "photos",
        ]
        read_only_fields = fields
