from django.urls import path

from .views import CleanerRateView, CleanerViewSet

urlpatterns = [path("cleaner-rates/", CleanerRateView.as_view(), name="cleaner-rates")]


def register(router) -> None:
    router.register("cleaners", CleanerViewSet, basename="cleaner")
