from django.urls import path

from . import views

app_name = "townships"
urlpatterns = [
    path("counties/", views.CountyListView.as_view(), name="county_list"),
    path("counties/<str:code>/", views.CountyDetailView.as_view(), name="county_detail"),
    path("townships/", views.TownshipListView.as_view(), name="township_list"),
    path("townships/export/", views.TownshipExportView.as_view(), name="township_export"),
    path("townships/<int:pk>/", views.TownshipDetailView.as_view(), name="township_detail"),
    path("progress-reports/", views.ProgressReportListView.as_view(), name="progressreport_list"),
    path("progress-reports/export/", views.ProgressReportExportView.as_view(), name="progressreport_export"),
    path("progress-reports/<int:pk>/evidence/", views.progress_evidence, name="progressreport_evidence"),
    path("progress-reports/new/", views.ProgressReportCreateView.as_view(), name="progressreport_create"),
    path("progress-reports/import/", views.LedgerImportView.as_view(kind="progress"), name="progress_import"),
    path(
        "progress-reports/import/template/",
        views.LedgerTemplateView.as_view(kind="progress"),
        name="progress_import_template",
    ),
    path("targets/import/", views.LedgerImportView.as_view(kind="targets"), name="target_import"),
    path(
        "targets/import/template/",
        views.LedgerTemplateView.as_view(kind="targets"),
        name="target_import_template",
    ),
]
