from django.urls import path

from . import views

app_name = "cleaners"
urlpatterns = [
    path("", views.CleanerListView.as_view(), name="cleaner_list"),
    path("export/", views.CleanerExportView.as_view(), name="cleaner_export"),
    path("import/", views.CleanerImportView.as_view(), name="cleaner_import"),
    path("import/template/", views.CleanerTemplateView.as_view(), name="cleaner_import_template"),
]
