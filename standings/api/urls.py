from django.urls import path

from .views import ProgressView, RankingEntryViewSet, WarningSnapshotViewSet


def register(router) -> None:
    router.register("warnings", WarningSnapshotViewSet, basename="warning")
    router.register("rankings", RankingEntryViewSet, basename="ranking")


urlpatterns = [path("progress/", ProgressView.as_view(), name="progress")]
