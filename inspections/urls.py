from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "inspections"
urlpatterns = [
    # The app root is a prefix of every page here; the list has its own path so the menu marks one entry.
    path("", RedirectView.as_view(pattern_name="inspections:finding_list"), name="index"),
    path("list/", views.InspectionListView.as_view(), name="inspection_list"),
    path("new/", views.InspectionCreateView.as_view(), name="inspection_create"),
    path("<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("<int:pk>/submit/", views.InspectionSubmitView.as_view(), name="inspection_submit"),
    path("findings/", views.FindingListView.as_view(), name="finding_list"),
    path("findings/export/", views.FindingExportView.as_view(), name="finding_export"),
    path("findings/archived/", views.ArchivedFindingListView.as_view(), name="finding_archived"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding_detail"),
    path("findings/<int:pk>/submit/", views.FindingSubmitView.as_view(), name="finding_submit"),
    path("findings/<int:pk>/verify/", views.FindingVerifyView.as_view(), name="finding_verify"),
    path("findings/<int:pk>/reject/", views.FindingRejectView.as_view(), name="finding_reject"),
    path("findings/<int:pk>/archive/", views.FindingArchiveView.as_view(), name="finding_archive"),
    path("findings/<int:pk>/restore/", views.FindingRestoreView.as_view(), name="finding_restore"),
    path("findings/<int:pk>/photos/", views.FindingPhotoUploadView.as_view(), name="finding_photos"),
    path("review/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("photos/<int:pk>/<str:variant>/", views.PhotoFileView.as_view(), name="photo_file"),
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("bulletins/", views.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/new/", views.BulletinCreateView.as_view(), name="bulletin_create"),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/publish/", views.BulletinPublishView.as_view(), name="bulletin_publish"),
    path("bulletins/<int:pk>/print/", views.BulletinPrintView.as_view(), name="bulletin_print"),
    path("bulletins/<int:pk>/docx/", views.BulletinDocxView.as_view(), name="bulletin_docx"),
    path("findings/<int:pk>/reply/", views.FindingReplyView.as_view(), name="finding_reply"),
    path("yellow-cards/", views.YellowCardListView.as_view(), name="yellowcard_list"),
    path("yellow-cards/new/", views.YellowCardCreateView.as_view(), name="yellowcard_create"),
    path("yellow-cards/proposals/", views.ProposalListView.as_view(), name="proposal_list"),
    path(
        "yellow-cards/proposals/<int:pk>/<str:decision>/",
        views.ProposalDecisionView.as_view(),
        name="proposal_decide",
    ),
    path("yellow-cards/<int:pk>/", views.YellowCardDetailView.as_view(), name="yellowcard_detail"),
    path(
        "yellow-cards/<int:pk>/escalate/", views.YellowCardEscalateView.as_view(), name="yellowcard_escalate"
    ),
    path("yellow-cards/<int:pk>/lift/", views.YellowCardLiftView.as_view(), name="yellowcard_lift"),
    path("secretary/", views.SecretaryItemListView.as_view(), name="secretary_list"),
    path("secretary/new/", views.SecretaryItemCreateView.as_view(), name="secretary_create"),
    path("deductions/", views.DeductionListView.as_view(), name="deduction_list"),
    path(
        "deductions/<int:pk>/<str:decision>/", views.DeductionDecisionView.as_view(), name="deduction_decide"
    ),
    path("cadres/<int:user_id>/", views.CadreView.as_view(), name="cadre_detail"),
]
