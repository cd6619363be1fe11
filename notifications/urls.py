from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/read/", views.MarkReadView.as_view(), name="mark_read"),
    path("read-all/", views.MarkAllReadView.as_view(), name="mark_all_read"),
    path("exports/<int:pk>/", views.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/status/", views.ExportJobStatusView.as_view(), name="export_job_status"),
    path("exports/<int:pk>/download/", views.ExportJobDownloadView.as_view(), name="export_download"),
    path("exports/<int:pk>/rerun/", views.ExportJobRerunView.as_view(), name="export_rerun"),
    path("preferences/", views.PreferenceView.as_view(), name="preferences"),
    path("channels/", views.ChannelListView.as_view(), name="channel_list"),
    path("channels/new/", views.ChannelCreateView.as_view(), name="channel_create"),
    path("channels/<int:pk>/", views.ChannelUpdateView.as_view(), name="channel_update"),
]
