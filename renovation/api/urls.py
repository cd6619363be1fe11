"""The /api/v1/ router. Each app contributes its routes through `<app>/api/urls.py: register(router)`."""

from importlib import import_module

from django.conf import settings
from django.urls import path
from rest_framework.routers import DefaultRouter

from townships.api.views import ObtainTokenView

from .views import FloorView

API_APPS = [app for app in settings.OUR_APPS if app != "core"]  # core has no routes of its own

router = DefaultRouter()
extra_urlpatterns = []
for app in API_APPS:
    try:
        module = import_module(f"{app}.api.urls")
    except ModuleNotFoundError as exc:
        if exc.name not in (f"{app}.api", f"{app}.api.urls"):
            raise
        continue
    module.register(router)
    extra_urlpatterns += getattr(module, "urlpatterns", [])

app_name = "api"
urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("floor/", FloorView.as_view(), name="floor"),
    *extra_urlpatterns,
    *router.urls,
]
