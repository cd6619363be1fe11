from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.GridEventListView.as_view(), name="event_list"),
    path("<int:pk>/", views.GridEventDetailView.as_view(), name="event_detail"),
    path("<int:pk>/accept/", views.GridEventAcceptView.as_view(), name="event_accept"),
    path("<int:pk>/merge/", views.GridEventMergeView.as_view(), name="event_merge"),
    path("<int:pk>/reject/", views.GridEventRejectView.as_view(), name="event_reject"),
    path("photos/<int:pk>/<str:variant>/", views.GridEventPhotoView.as_view(), name="photo_file"),
]
