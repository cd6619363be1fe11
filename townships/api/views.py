from rest_framework import viewsets

from townships.filtersets import CityFilterSet, CountyFilterSet, TargetFilterSet, TownshipFilterSet
from townships.models import City, Target, Track
from townships.scope import scoped, user_scope, visible_counties, visible_townships

from .serializers import (
    CitySerializer,
    CountySerializer,
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


class TownshipViewSet(viewsets.ReadOnlyModelViewSet):
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
