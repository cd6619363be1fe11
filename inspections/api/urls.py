from .views import BulletinViewSet, FindingViewSet, InspectionRoundViewSet, InspectionViewSet, TeamViewSet


def register(router) -> None:
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("findings", FindingViewSet, basename="finding")
    router.register("bulletins", BulletinViewSet, basename="bulletin")
    router.register("inspection-rounds", InspectionRoundViewSet, basename="inspection-round")
    router.register("teams", TeamViewSet, basename="team")
