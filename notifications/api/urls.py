from .views import NotificationViewSet


def register(router) -> None:
    router.register("notifications", NotificationViewSet, basename="notification")
