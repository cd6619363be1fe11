import datetime

from django.core.cache import cache
from django.db import connection
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, viewsets
from rest_framework.response import Response

from core.api.lean import LeanListMixin
from townships.scope import answer_cache_key, scoped

from ..choices import GroupBy, RankingStatus
from ..filtersets import RankingEntryFilterSet, WarningSnapshotFilterSet
from ..models import Ranking, RankingEntry, TownshipStanding, WarningSnapshot
from ..rollups import normalise, progress_rows
from ..services import standings_ensure
from .serializers import (
    ProgressPageSerializer,
    ProgressQuerySerializer,
    ProgressRowSerializer,
    RankingEntrySerializer,
    WarningSnapshotSerializer,
)

PUBLISHED_CACHE_SECONDS = 300
SUMMARY_CACHE_SECONDS = 900


def summary_as_of(version: str):
    """The time of the latest refresh, read from the version (no query): what the answer is as of."""
    stamp = version.rsplit("/", 1)[0]
    return datetime.datetime.fromisoformat(stamp) if stamp else None


def summary_version() -> str:
    """Changes whenever standings_refresh rewrites any summary row (it stamps refreshed_at)."""
    # raw SQL: building the equivalent aggregate() costs more than running it
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT concat(max(refreshed_at), '/', count(*)) FROM {TownshipStanding._meta.db_table}"  # noqa: S608
        )
        return cursor.fetchone()[0]


class ProgressView(generics.GenericAPIView):
    """Target, done, percent, expected percent, colour and findings, grouped by county, township or track."""

    serializer_class = ProgressRowSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", enum=["county", "township", "track"], default="township"),
            OpenApiParameter("county", str, description="county code"),
            OpenApiParameter("track", str, description="track code"),
        ],
        responses=ProgressPageSerializer,
    )
    def get(self, request):
        # Roll-ups are a pure function of the summary rows: the answer is cached until the next
        # refresh stamps them (the key holds the summary version), so it stays exact.
        version = summary_version()
        if version.endswith("/0") and standings_ensure():
            version = summary_version()
        key = answer_cache_key("standings:progress", version, request)
        data = cache.get(key)
        if data is not None:
            return Response(data)
        response = self._live(request, summary_as_of(version))
        cache.set(key, response.data, SUMMARY_CACHE_SECONDS)
        return response

    def _live(self, request, as_of):
        query = ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        group_by = query.validated_data["group_by"]
        rows = progress_rows(
            request.user,
            group_by,
            county=query.validated_data.get("county"),
            track=query.validated_data.get("track"),
        )
        if group_by != GroupBy.TOWNSHIP:
            # A few dozen rows at most: one aggregate query, paginated in memory (no COUNT query).
            rows = list(rows)
        page = self.paginate_queryset(rows)
        data = ProgressRowSerializer([normalise(r, group_by) for r in page], many=True).data
        response = self.get_paginated_response(data)
        # How fresh the rows are: the summary's last refresh (a committed write shows within the
        # debounce of standings.freshness, at the latest with the 15-minute beat).
        response.data["as_of"] = serializers.DateTimeField().to_representation(as_of) if as_of else None
        return response


class WarningSnapshotViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WarningSnapshotSerializer
    filterset_class = WarningSnapshotFilterSet

    def get_queryset(self):
        return (
            scoped(WarningSnapshot.objects.all(), self.request.user)
            .select_related("township", "county")
            .order_by("-period", "township__code")
        )


class RankingEntryViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RankingEntrySerializer
    filterset_class = RankingEntryFilterSet

    def get_queryset(self):
        return (
            scoped(RankingEntry.objects.all(), self.request.user)
            .with_related()
            .order_by("-ranking__period", "county__code", "county_rank", "township__code")
        )

    def list(self, request, *args, **kwargs):
        # A published period is frozen: its answer is cached per scope and query. The key names the
        # ranking row and its publication time, so a database rebuilt from scratch never meets old keys;
        # the TTL bounds how long a renamed township keeps its old name here.
        period = request.query_params.get("period", "")
        published = (
            Ranking.objects.filter(period=period, status=RankingStatus.PUBLISHED)
            .values_list("pk", "published_at")
            .first()
            if len(period) == 7
            else None
        )
        if published is None:
            return super().list(request, *args, **kwargs)
        pk, published_at = published
        key = answer_cache_key("standings:rankings", f"{pk}|{published_at.isoformat()}", request)
        data = cache.get(key)
        if data is None:
            response = super().list(request, *args, **kwargs)
            if response.status_code == 200:
                cache.set(key, response.data, PUBLISHED_CACHE_SECONDS)
            return response
        return Response(data)
