from django.urls import path

from .views import applications, plans, reports, reviews, schemes

app_name = "acceptance"
urlpatterns = [
    path("", plans.PlanListView.as_view(), name="plan_list"),
    path("plan/propose/", plans.PlanProposeView.as_view(), name="plan_propose"),
    path("plan/<int:pk>/confirm/", plans.PlanConfirmView.as_view(), name="plan_confirm"),
    path("applications/", applications.ApplicationListView.as_view(), name="application_list"),
    path("applications/new/", applications.ApplicationCreateView.as_view(), name="application_create"),
    path("applications/<int:pk>/", applications.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/reviews/", applications.ReviewScheduleView.as_view(), name="review_schedule"),
    path("applications/<int:pk>/decide/", applications.DecideView.as_view(), name="application_decide"),
    path(
        "applications/<int:pk>/recommend/", applications.RecommendView.as_view(), name="application_recommend"
    ),
    path("applications/<int:pk>/resubmit/", applications.ResubmitView.as_view(), name="application_resubmit"),
    path("applications/<int:pk>/spot-checks/", applications.SpotCheckView.as_view(), name="spotcheck_create"),
    path("reviews/<int:pk>/score/", reviews.ReviewScoreView.as_view(), name="review_score"),
    path("reviews/<int:pk>/finish/", reviews.ReviewFinishView.as_view(), name="review_finish"),
    path("reviews/<int:pk>/print/", reviews.ReviewPrintView.as_view(), name="review_print"),
    path("reviews/<int:pk>/docx/", reviews.ReviewDocxView.as_view(), name="review_docx"),
    path("readiness/", reports.ReadinessView.as_view(), name="readiness"),
    path("readiness/export/", reports.ReadinessExportView.as_view(), name="readiness_export"),
    path("results/print/", reports.ResultsPrintView.as_view(), name="results_print"),
    path("results/docx/", reports.ResultsDocxView.as_view(), name="results_docx"),
    path("schemes/", schemes.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/<int:pk>/", schemes.SchemeDetailView.as_view(), name="scheme_detail"),
    path("schemes/<int:pk>/export/", schemes.SchemeExportView.as_view(), name="scheme_export"),
    path("schemes/<int:pk>/import/", schemes.SchemeImportView.as_view(), name="scheme_import"),
    path("experts/", schemes.ExpertListView.as_view(), name="expert_list"),
]
