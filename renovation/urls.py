from importlib import import_module

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core import offline

from . import home, views

handler400 = "core.api.errors.bad_request"
handler404 = "core.api.errors.not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The service worker from the root, so that its scope is the whole site (core.offline).
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="web_manifest"),
    path("offline/snapshot/", offline.snapshot_view, name="offline_snapshot"),
    path("start/", home.landing, name="landing"),
    path("my-work/", home.my_work, name="my_work"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("renovation.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("", include("townships.urls")),
]

# Each feature app mounts its pages under its own prefix once it has a urls module.
for app, prefix in [
    ("notifications", "notifications/"),
    ("inspections", "inspections/"),
    ("projects", "projects/"),
    ("cleaners", "cleaners/"),
    ("intake", "intake/"),
    ("acceptance", "acceptance/"),
    ("standings", "standings/"),
]:
    try:
        import_module(f"{app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.urls":
            raise
        continue
    urlpatterns.append(path(prefix, include(f"{app}.urls")))

# MEDIA_ROOT is never served as a folder, not even with DEBUG: photos and evidence are government
# records, handed out one by one by views that check the user's scope.
