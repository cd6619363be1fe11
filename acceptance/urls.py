from django.urls import path

from . import views

app_name = "acceptance"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("plan/propose/", views.PlanProposeView.as_view(), name="plan_propose"),
    path("plan/<int:pk>/confirm/", views.PlanConfirmView.as_view(), name="plan_confirm"),
    path("applications/", views.ApplicationListView.as_view(), name="application_list"),
    path("applications/new/", views.ApplicationCreateView.as_view(), name="application_create"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/reviews/", views.ReviewScheduleView.as_view(), name="review_schedule"),
    path("applications/<int:pk>/decide/", views.DecideView.as_view(), name="application_decide"),
    path("applications/<int:pk>/recommend/", views.RecommendView.as_view(), name="application_recommend"),
    path("applications/<int:pk>/resubmit/", views.ResubmitView.as_view(), name="application_resubmit"),
    path("applications/<int:pk>/spot-checks/", views.SpotCheckView.as_view(), name="spotcheck_create"),
    path("reviews/<int:pk>/score/", views.ReviewScoreView.as_view(), name="review_score"),
    path("reviews/<int:pk>/finish/", views.ReviewFinishView.as_view(), name="review_finish"),
    path("reviews/<int:pk>/print/", views.ReviewPrintView.as_view(), name="review_print"),
    path("reviews/<int:pk>/docx/", views.ReviewDocxView.as_view(), name="review_docx"),
    path("readiness/", views.ReadinessView.as_view(), name="readiness"),
    path("readiness/export/", views.ReadinessExportView.as_view(), name="readiness_export"),
    path("results/print/", views.ResultsPrintView.as_view(), name="results_print"),
    path("results/docx/", views.ResultsDocxView.as_view(), name="results_docx"),
    path("schemes/", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme_detail"),
    path("schemes/<int:pk>/export/", views.SchemeExportView.as_view(), name="scheme_export"),
    path("schemes/<int:pk>/import/", views.SchemeImportView.as_view(), name="scheme_import"),
    path("experts/", views.ExpertListView.as_view(), name="expert_list"),
]
