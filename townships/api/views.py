from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from core.api.lean import LeanListMixin
from townships.filtersets import (
    CityFilterSet,
    CountyFilterSet,
    ProgressReportFilterSet,
    TargetFilterSet,
    TownshipFilterSet,
)
from townships.models import City, ProgressReport, Target, Track
from townships.scope import scoped, user_scope, visible_counties, visible_townships
from townships.services import progress_report_create
from townships.tokens import token_issue

from .serializers import (
    CitySerializer,
    CountySerializer,
    ProgressReportInputSerializer,
    ProgressReportSerializer,
    TargetSerializer,
    TownshipSerializer,
    TrackSerializer,
)


class CityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CitySerializer
    filterset_class = CityFilterSet

    def get_queryset(self):
        scope = user_scope(self.request.user)
        if scope.everything:
            return City.objects.order_by("code")
        return (
            City.objects.filter(counties__in=visible_counties(self.request.user)).distinct().order_by("code")
        )


class CountyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CountySerializer
    filterset_class = CountyFilterSet

    def get_queryset(self):
        return visible_counties(self.request.user).select_related("city").order_by("code")


class TownshipViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TownshipSerializer
    filterset_class = TownshipFilterSet

    def get_queryset(self):
        return visible_townships(self.request.user).with_related().order_by("code")


class TrackViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TrackSerializer
    queryset = Track.objects.order_by("position")
    pagination_class = None


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet

    def get_queryset(self):
        return (
            scoped(Target.objects.all(), self.request.user)
            .select_related("township", "track")
            .with_latest_progress()
            .order_by("township__code", "track__position")
        )


class ProgressReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Progress reports in scope; township staff (and county/city offices) add new ones. No edits."""

    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilterSet

    def get_queryset(self):
        return (
            scoped(ProgressReport.objects.all(), self.request.user, "target__township")
            .select_related("target__township", "target__track", "reported_by")
            .order_by("-reported_on", "-pk")
        )

    @extend_schema(request=ProgressReportInputSerializer, responses={201: ProgressReportSerializer})
    def create(self, request, *args, **kwargs):
        data = ProgressReportInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        report = progress_report_create(
            target_id=values["target"].pk,
            reported_on=values["reported_on"],
            cumulative_quantity=values["cumulative_quantity"],
            note=values.get("note", ""),
            evidence=values.get("evidence"),
            by=request.user,
        )
        report = self.get_queryset().get(pk=report.pk)
        return Response(
            ProgressReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ObtainTokenView(ObtainAuthToken):
    """`POST /api/v1/auth/token/`: the caller's token while valid, a new key once expired or revoked."""

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = token_issue(user=serializer.validated_data["user"])
        return Response({"token": token.key})
