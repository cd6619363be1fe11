"""The API of specialist guidance visits (专项指导): list, read, record, and the counts per team."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.actions import validated
from townships.api.serializers import ScopedPrimaryKeyRelatedField
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.models import Track
from townships.scope import visible_townships

from ..choices import GuidanceTopic, TeamKind
from ..filtersets import GuidanceVisitFilterSet
from ..models import GuidanceAttachment, GuidanceFollowUp, GuidanceVisit
from ..permissions import ensure_can_record_guidance
from ..querysets import teams_visible_to
from ..selectors import guidance_visit_get, guidance_visit_list
from ..services.guidance import guidance_visit_create


class FollowUpSerializer(serializers.ModelSerializer):
    finding_status = serializers.CharField(
        source="finding.status", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = GuidanceFollowUp
        fields = ["id", "description", "finding", "finding_status"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = GuidanceAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "url"]
        read_only_fields = fields


class GuidanceVisitSerializer(serializers.ModelSerializer):
    township_code = serializers.CharField(source="township.code", read_only=True)
    track = serializers.SlugRelatedField(slug_field="code", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=GuidanceTopic.choices), read_only=True
    )
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = GuidanceVisit
        fields = [
            "id",
            "township",
            "township_code",
            "track",
            "team",
            "team_name",
            "visited_on",
            "topics",
            "advice",
            "follow_ups",
            "attachments",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class GuidanceVisitInSerializer(serializers.Serializer):
    township = ScopedPrimaryKeyRelatedField(scope=visible_townships)
    track = serializers.SlugRelatedField(slug_field="code", queryset=Track.objects.all())
    team = ScopedPrimaryKeyRelatedField(
        scope=lambda user: teams_visible_to(user).filter(kind=TeamKind.SPECIALIST)
    )
    visited_on = serializers.DateField(validators=[plausible_date])
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=GuidanceTopic.choices), allow_empty=False, max_length=3
    )
    advice = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    follow_ups = serializers.ListField(
        child=serializers.CharField(max_length=TEXT_MAX_LENGTH), required=False, default=list, max_length=50
    )
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


TEAM_COUNT = inline_serializer(
    "GuidanceTeamCount",
    fields={
        "team": serializers.IntegerField(),
        "team_name": serializers.CharField(),
        "visits": serializers.IntegerField(),
        "follow_ups": serializers.IntegerField(),
        "findings": serializers.IntegerField(),
    },
    many=True,
)


def _rows(queryset):
    return queryset.select_related("township", "track", "team").prefetch_related(
        Prefetch("follow_ups", queryset=GuidanceFollowUp.objects.select_related("finding").order_by("pk")),
        Prefetch("attachments", queryset=GuidanceAttachment.objects.order_by("pk")),
    )


class GuidanceVisitViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Specialist groups' guidance visits per township and track; by-team/ counts them per group."""

    serializer_class = GuidanceVisitSerializer
    filterset_class = GuidanceVisitFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return GuidanceVisit.objects.none()
        return _rows(guidance_visit_list(user=self.request.user))

    def get_object(self):
        visit = guidance_visit_get(
            user=self.request.user, pk=self.kwargs["pk"], queryset=_rows(GuidanceVisit.objects)
        )
        self.check_object_permissions(self.request, visit)
        return visit

    @extend_schema(
        request={
            "application/json": GuidanceVisitInSerializer,
            "multipart/form-data": GuidanceVisitInSerializer,
        },
        responses={201: GuidanceVisitSerializer},
    )
    def create(self, request, *args, **kwargs):
        ensure_can_record_guidance(request.user)
        values = validated(GuidanceVisitInSerializer, request.data, context={"request": request})
        visit = guidance_visit_create(by=request.user, **values)
        answer = GuidanceVisitSerializer(_rows(GuidanceVisit.objects).get(pk=visit.pk))
        return Response(answer.data, status=201)

    @extend_schema(responses=TEAM_COUNT, filters=True)
    @action(detail=False, methods=["get"], url_path="by-team", pagination_class=None)
    def by_team(self, request):
        """Visits, follow-up items and the findings they became, per specialist group (with the list's filters)."""
        visits = self.filter_queryset(guidance_visit_list(user=request.user))
        return Response(
            [
                {
                    "team": row["team_id"],
                    "team_name": row["team__name"],
                    "visits": row["visits"],
                    "follow_ups": row["follow_ups"],
                    "findings": row["findings"],
                }
                for row in visits.team_counts()
            ]
        )
