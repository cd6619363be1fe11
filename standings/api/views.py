from django.db.models import Max
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, viewsets
from rest_framework.response import Response

from core.api.actions import validated
from core.api.lean import LeanListMixin
from core.cache import cached
from townships.scope import scope_key, scoped

from ..choices import GroupBy
from ..filtersets import RankingEntryFilterSet, WarningSnapshotFilterSet
from ..models import RankingEntry, TownshipStanding, WarningSnapshot
from ..rollups import normalise, progress_rows
from ..services import standings_ensure
from .serializers import (
    ProgressPageSerializer,
    ProgressQuerySerializer,
    ProgressRowSerializer,
    RankingEntrySerializer,
    WarningSnapshotSerializer,
)


def summary_as_of():
    """The time of the latest refresh: what a roll-up answer is as of."""
    return TownshipStanding.objects.aggregate(as_of=Max("refreshed_at"))["as_of"]


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
        # Roll-ups are a pure function of the summary rows: cached under the standings data version
        # (and the registry's, for names), so the answer stays exact.
        def build():
            standings_ensure()
            return self._live(request, summary_as_of()).data

        data = cached(
            "standings:progress",
            apps=("standings", "townships"),
            vary=(scope_key(request.user), request.build_absolute_uri()),
            build=build,
        )
        return Response(data)

    def _live(self, request, as_of):
        query = validated(ProgressQuerySerializer, request.query_params)
        group_by = query["group_by"]
        rows = progress_rows(request.user, group_by, county=query.get("county"), track=query.get("track"))
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
        # Rankings are a pure function of the standings tables: cached per scope and query under the
        # standings and registry data versions (a snapshot or a publication changes them).
        data = cached(
            "standings:rankings",
            apps=("standings", "townships"),
            vary=(scope_key(request.user), request.build_absolute_uri()),
            build=lambda: super(RankingEntryViewSet, self).list(request, *args, **kwargs).data,
        )
        return Response(data)
