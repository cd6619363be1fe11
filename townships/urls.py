from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import ledger_views, services, views

app_name = "townships"
urlpatterns = [
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/token/revoke/", views.account_token_revoke, name="account_token_revoke"),
    path("account/logout-everywhere/", views.account_logout_everywhere, name="account_logout_everywhere"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="townships/password_change.html", success_url=reverse_lazy("townships:account")
        ),
        name="account_password",
    ),
    path("counties/", views.CountyListView.as_view(), name="county_list"),
    path("counties/<str:code>/", views.CountyDetailView.as_view(), name="county_detail"),
    path("townships/", views.TownshipListView.as_view(), name="township_list"),
    path("townships/suggest/", views.township_suggest, name="township_suggest"),
    path("townships/export/", views.TownshipExportView.as_view(), name="township_export"),
    path("townships/<int:pk>/", views.TownshipDetailView.as_view(), name="township_detail"),
    path("townships/<int:pk>/location/", views.TownshipLocationView.as_view(), name="township_location"),
    path(
        "townships/locations/import/",
        ledger_views.LedgerImportView.as_view(kind="locations", writers=services.LOCATION_WRITERS),
        name="location_import",
    ),
    path(
        "townships/locations/import/template/",
        ledger_views.LedgerTemplateView.as_view(kind="locations"),
        name="location_import_template",
    ),
    path("progress-reports/", views.ProgressReportListView.as_view(), name="progressreport_list"),
    path("progress-reports/export/", views.ProgressReportExportView.as_view(), name="progressreport_export"),
    path("progress-reports/<int:pk>/evidence/", views.progress_evidence, name="progressreport_evidence"),
    path("progress-reports/new/", views.ProgressReportCreateView.as_view(), name="progressreport_create"),
    path(
        "progress-reports/import/",
        ledger_views.LedgerImportView.as_view(kind="progress"),
        name="progress_import",
    ),
    path(
        "progress-reports/import/template/",
        ledger_views.LedgerTemplateView.as_view(kind="progress"),
        name="progress_import_template",
    ),
    path("targets/import/", ledger_views.LedgerImportView.as_view(kind="targets"), name="target_import"),
    path(
        "targets/import/template/",
        ledger_views.LedgerTemplateView.as_view(kind="targets"),
        name="target_import_template",
    ),
]
