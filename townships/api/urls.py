from .views import (
    CityViewSet,
    CountyViewSet,
    ProgressReportViewSet,
    TargetViewSet,
    TownshipViewSet,
    TrackViewSet,
)


def register(router) -> None:
    router.register("cities", CityViewSet, basename="city")
    router.register("counties", CountyViewSet, basename="county")
    router.register("townships", TownshipViewSet, basename="township")
    router.register("tracks", TrackViewSet, basename="track")
    router.register("targets", TargetViewSet, basename="target")
    router.register("progress-reports", ProgressReportViewSet, basename="progressreport")
