from django.urls import path

from . import views

app_name = "townships"
urlpatterns = [
    path("counties/", views.CountyListView.as_view(), name="county_list"),
    path("counties/<str:code>/", views.CountyDetailView.as_view(), name="county_detail"),
    path("townships/", views.TownshipListView.as_view(), name="township_list"),
    path("townships/export/", views.TownshipExportView.as_view(), name="township_export"),
    path("townships/<int:pk>/", views.TownshipDetailView.as_view(), name="township_detail"),
]
