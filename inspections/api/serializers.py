from django.conf import settings
from django.utils.timezone import localdate
from rest_framework import serializers

from townships.api.serializers import NullableCharField, ScopedPrimaryKeyRelatedField
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.models import Township, Track
from townships.scope import visible_people, visible_townships

from ..choices import PhotoStage
from ..models import (
    Bulletin,
    Deduction,
    Finding,
    FindingEvent,
    FindingPhoto,
    Inspection,
    InspectionRound,
    Team,
    YellowCard,
    YellowCardEvent,
    YellowCardProposal,
)
from ..querysets import rounds_visible_to, teams_visible_to


class PhotoSerializer(serializers.ModelSerializer):
    thumbnail_url = serializers.CharField(source="thumb_url", read_only=True)
    display_url = serializers.CharField(read_only=True)
    original_url = serializers.CharField(read_only=True)

    class Meta:
        model = FindingPhoto
        fields = [
            "id",
            "stage",
            "sha256",
            "derivatives",
            "content_type",
            "size",
            "width",
            "height",
            "taken_at",
            "latitude",
            "longitude",
            "uploaded_by",
            "uploaded_at",
            "thumbnail_url",
            "display_url",
            "original_url",
        ]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = FindingEvent
        fields = ["id", "kind", "actor", "from_status", "to_status", "note", "at"]


class FindingSerializer(serializers.ModelSerializer):
    township_code = serializers.CharField(source="township.code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    county = serializers.CharField(source="township.county.code", read_only=True)
    track = serializers.SlugRelatedField(
        slug_field="code", queryset=Track.objects.all(), required=False, allow_null=True
    )
    assignee_username = NullableCharField(source="assignee.username")
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    days_overdue = serializers.IntegerField(read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "township",
            "township_code",
            "township_name",
            "county",
            "track",
            "inspection",
            "source",
            "description",
            "location",
            "latitude",
            "longitude",
            "severity",
            "deadline",
            "assignee",
            "assignee_username",
            "responsible_person",
            "status",
            "reopen_count",
            "closed_at",
            "closed_by",
            "archived",
            "assigning_leader",
            "promised_date",
            "reply_required",
            "reply",
            "reply_at",
            "repeat_of",
            "overdue",
            "days_overdue",
            "photos",
            "created_at",
        ]
        read_only_fields = [
            "inspection",
            "status",
            "reopen_count",
            "closed_at",
            "closed_by",
            "archived",
            "reply",
            "reply_at",
            "created_at",
        ]


class FindingRowSerializer(FindingSerializer):
    """A list row without its photos: the lean list reads it from `.values()` and adds photos in one query."""

    photos = None

    class Meta(FindingSerializer.Meta):
        fields = [f for f in FindingSerializer.Meta.fields if f != "photos"]


class FindingDetailSerializer(FindingSerializer):
    events = EventSerializer(many=True, read_only=True)

    class Meta(FindingSerializer.Meta):
        fields = [*FindingSerializer.Meta.fields, "events"]


class NestedFindingSerializer(serializers.Serializer):
    """A finding inside an inspection POST (photos go to findings/{id}/photos/ afterwards)."""

    track = serializers.SlugRelatedField(
        slug_field="code", queryset=Track.objects.all(), required=False, allow_null=True
    )
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    severity = serializers.ChoiceField(choices=Finding._meta.get_field("severity").choices, default="minor")
    deadline = serializers.DateField(validators=[plausible_date])
    assignee = ScopedPrimaryKeyRelatedField(
        scope=visible_people,
        queryset=Finding._meta.get_field("assignee").related_model.objects.all(),
        required=False,
        allow_null=True,
    )
    responsible_person = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    repeat_of = ScopedPrimaryKeyRelatedField(
        scope=Finding.objects.visible_to, queryset=Finding.objects.all(), required=False, allow_null=True
    )


def _active_teams(user):
    return teams_visible_to(user).filter(active=True)


class InspectionSerializer(serializers.ModelSerializer):
    township = ScopedPrimaryKeyRelatedField(scope=visible_townships, queryset=Township.objects.all())
    round = ScopedPrimaryKeyRelatedField(
        scope=rounds_visible_to, queryset=InspectionRound.objects.all(), required=False, allow_null=True
    )
    team = ScopedPrimaryKeyRelatedField(
        scope=_active_teams, queryset=Team.objects.all(), required=False, allow_null=True
    )
    township_name = serializers.CharField(source="township.name", read_only=True)
    filed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    findings = NestedFindingSerializer(
        many=True, required=False, write_only=True, max_length=settings.INSPECTION_MAX_FINDINGS
    )
    finding_ids = serializers.PrimaryKeyRelatedField(source="findings", many=True, read_only=True)
    submit = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "round",
            "township",
            "township_name",
            "inspected_on",
            "mode",
            "team",
            "filed_by",
            "status",
            "score",
            "summary",
            "created_at",
            "submitted_at",
            "findings",
            "finding_ids",
            "submit",
        ]
        read_only_fields = ["status", "created_at", "submitted_at"]


class InspectionRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionRound
        fields = ["id", "city", "name", "starts_on", "ends_on", "note"]


class TeamSerializer(serializers.ModelSerializer):
    track = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "track", "county", "active"]


class SubmitSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class VerifySerializer(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")


class ChaseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class PhotoUploadSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=PhotoStage.choices, default=PhotoStage.AFTER)
    photos = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class BulletinSerializer(serializers.ModelSerializer):
    finding_ids = serializers.PrimaryKeyRelatedField(source="findings", many=True, read_only=True)

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "city",
            "round",
            "number",
            "title",
            "body",
            "issuing_office",
            "issued_on",
            "status",
            "published_at",
            "finding_ids",
        ]
        read_only_fields = fields


class BulletinPublishSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField(validators=[plausible_date], required=False, default=localdate)


class YellowCardEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = YellowCardEvent
        fields = [
            "id",
            "kind",
            "actor",
            "from_level",
            "to_level",
            "reason",
            "outlet",
            "exposure_date",
            "link",
            "at",
        ]


class YellowCardSerializer(serializers.ModelSerializer):
    township = ScopedPrimaryKeyRelatedField(scope=visible_townships, queryset=Township.objects.all())
    township_name = serializers.CharField(source="township.name", read_only=True)
    county = serializers.CharField(source="township.county.code", read_only=True)
    finding_ids = ScopedPrimaryKeyRelatedField(
        scope=Finding.objects.visible_to,
        source="findings",
        many=True,
        queryset=Finding.objects.all(),
        required=False,
    )
    item_count = serializers.IntegerField(read_only=True)
    closed_count = serializers.IntegerField(read_only=True)
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    lifted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    events = YellowCardEventSerializer(many=True, read_only=True)

    class Meta:
        model = YellowCard
        fields = [
            "id",
            "township",
            "township_name",
            "county",
            "level",
            "status",
            "reason",
            "finding_ids",
            "item_count",
            "closed_count",
            "outlet",
            "exposure_date",
            "link",
            "issued_by",
            "issued_at",
            "escalated_at",
            "lifted_by",
            "lifted_at",
            "lift_note",
            "events",
        ]
        read_only_fields = [f for f in fields if f not in ("township", "reason", "finding_ids")]
        # read_only_fields drops the model's blank=True: "" (no link given) is documented as such
        extra_kwargs = {"link": {"allow_blank": True}}


class EscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    outlet = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    exposure_date = serializers.DateField(
        validators=[plausible_date], required=False, allow_null=True, default=None
    )
    link = serializers.URLField(required=False, allow_blank=True, default="")


class LiftSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")


class ProposalSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)

    class Meta:
        model = YellowCardProposal
        fields = [
            "id",
            "township",
            "township_name",
            "kind",
            "reason",
            "finding",
            "card",
            "card_level",
            "detail",
            "overdue_count",
            "status",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "resulting_card",
        ]
        read_only_fields = fields
        # "" for a proposal to issue a new card (no card yet): the model's blank=True, lost by read_only_fields
        extra_kwargs = {"card_level": {"allow_blank": True}}


class AcceptSerializer(EscalateSerializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class DeductionSerializer(serializers.ModelSerializer):
    value_label = serializers.CharField(read_only=True)

    class Meta:
        model = Deduction
        fields = [
            "id",
            "finding",
            "township",
            "person",
            "person_name",
            "kind",
            "value",
            "value_label",
            "days_overdue",
            "status",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")
