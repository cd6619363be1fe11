from .views import ApplicationViewSet, ExpertViewSet, PlanEntryViewSet, SchemeViewSet, SpotCheckViewSet


def register(router) -> None:
    router.register("acceptance-plans", PlanEntryViewSet, basename="acceptance-plan")
    router.register("acceptance-schemes", SchemeViewSet, basename="acceptance-scheme")
    router.register("acceptance-applications", ApplicationViewSet, basename="acceptance-application")
    router.register("acceptance-spot-checks", SpotCheckViewSet, basename="acceptance-spot-check")
    router.register("experts", ExpertViewSet, basename="expert")
