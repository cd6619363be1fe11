from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from core.api.actions import validated
from core.api.lean import LeanListMixin
from townships.filtersets import (
    CityFilterSet,
    CountyFilterSet,
    ProgressReportFilterSet,
    TargetFilterSet,
    TownshipFilterSet,
)
from townships.geo import township_feature_collection
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


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson`: the townships as an RFC 7946 FeatureCollection (the map's data)."""

    media_type = "application/geo+json"
    format = "geojson"


GEO_FIELDS = ("id", "code", "name", "county__code", "county__name", "kind", "category", "status")
GEOJSON_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "geojson"],
    description="geojson: a FeatureCollection of the located townships (Point, lon/lat) with their "
    "warning colour and open findings, unpaginated.",
)


class TownshipSchema(AutoSchema):
    # Two answers by media type make drf-spectacular take the list for a retrieve (no filters, no page).
    # The GeoJSON answer is one FeatureCollection, never a page.
    _geojson = False

    def _is_list_view(self, serializer=None) -> bool:
        if self._geojson:
            return False
        return getattr(self.view, "action", None) == "list" or super()._is_list_view(serializer)

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        self._geojson = bool(media_types) and GeoJSONRenderer.media_type in media_types
        try:
            return super()._get_response_for_code(serializer, status_code, media_types, direction)
        finally:
            self._geojson = False


class TownshipViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    schema = TownshipSchema()
    serializer_class = TownshipSerializer
    filterset_class = TownshipFilterSet
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, GeoJSONRenderer]

    def get_queryset(self):
        return visible_townships(self.request.user).with_related().order_by("code")

    def finalize_response(self, request, response, *args, **kwargs):
        # An error (401, 400, 429…) keeps the API's one error shape and type, also under ?format=geojson.
        if response.status_code >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), GeoJSONRenderer
        ):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action != "list":
            return [r for r in renderers if not isinstance(r, GeoJSONRenderer)]
        return renderers

    @extend_schema(
        parameters=[GEOJSON_PARAMETER],
        responses={
            (200, "application/json"): TownshipSerializer(many=True),
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
        },
    )
    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) != "geojson":
            return super().list(request, *args, **kwargs)
        # Every township in scope and filter (a city has a few hundred): a map is not paged.
        rows = self.filter_queryset(self.get_queryset()).values(*GEO_FIELDS, "latitude", "longitude")
        rows = [
            {
                "id": r["id"],
                "code": r["code"],
                "name": r["name"],
                "county": r["county__code"],
                "county_name": r["county__name"],
                "kind": r["kind"],
                "category": r["category"],
                "status": r["status"],
                "url": reverse("townships:township_detail", args=[r["id"]]),
                "latitude": r["latitude"],
                "longitude": r["longitude"],
            }
            for r in rows
        ]
        return Response(township_feature_collection(rows))


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
        values = validated(ProgressReportInputSerializer, request.data, context={"request": request})
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
