from .views import GridEventViewSet


def register(router) -> None:
    router.register("intake/events", GridEventViewSet, basename="intake-event")
