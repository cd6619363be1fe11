from django.urls import path

from . import views

app_name = "standings"
urlpatterns = [
    path("rankings/", views.RankingListView.as_view(), name="ranking_list"),
    path("rankings/refresh/", views.StandingsRefreshView.as_view(), name="refresh"),
    path("rankings/export/", views.RankingListExportView.as_view(), name="ranking_list_export"),
    path("rankings/<str:period>/", views.RankingDetailView.as_view(), name="ranking_detail"),
    path("rankings/<str:period>/export/", views.RankingExportView.as_view(), name="ranking_export"),
    path("rankings/<str:period>/print/", views.RankingPrintView.as_view(), name="ranking_print"),
    path("rankings/<str:period>/publish/", views.RankingPublishView.as_view(), name="ranking_publish"),
    path("warnings/", views.WarningListView.as_view(), name="warning_list"),
    path("warnings/export/", views.WarningExportView.as_view(), name="warning_export"),
    path("counties/<str:code>/", views.CountyStandingsView.as_view(), name="county"),
]
