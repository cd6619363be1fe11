from django.urls import path
from django.views.generic import RedirectView

from .views import bulletins, cards, findings, guidance, inspections, secretary

app_name = "inspections"
urlpatterns = [
    # The app root is a prefix of every page here; the list has its own path so the menu marks one entry.
    path("", RedirectView.as_view(pattern_name="inspections:finding_list"), name="index"),
    path("list/", inspections.InspectionListView.as_view(), name="inspection_list"),
    path("new/", inspections.InspectionCreateView.as_view(), name="inspection_create"),
    path("<int:pk>/", inspections.InspectionDetailView.as_view(), name="inspection_detail"),
    path("<int:pk>/submit/", inspections.InspectionSubmitView.as_view(), name="inspection_submit"),
    path("findings/", findings.FindingListView.as_view(), name="finding_list"),
    path("findings/export/", findings.FindingExportView.as_view(), name="finding_export"),
    path("findings/archived/", findings.ArchivedFindingListView.as_view(), name="finding_archived"),
    path("findings/<int:pk>/", findings.FindingDetailView.as_view(), name="finding_detail"),
    path("findings/<int:pk>/submit/", findings.FindingSubmitView.as_view(), name="finding_submit"),
    path("findings/<int:pk>/verify/", findings.FindingVerifyView.as_view(), name="finding_verify"),
    path("findings/<int:pk>/reject/", findings.FindingRejectView.as_view(), name="finding_reject"),
    path("findings/<int:pk>/archive/", findings.FindingArchiveView.as_view(), name="finding_archive"),
    path("findings/<int:pk>/restore/", findings.FindingRestoreView.as_view(), name="finding_restore"),
    path("findings/<int:pk>/photos/", findings.FindingPhotoUploadView.as_view(), name="finding_photos"),
    path("review/", findings.ReviewQueueView.as_view(), name="review_queue"),
    path("photos/<int:pk>/<str:variant>/", findings.PhotoFileView.as_view(), name="photo_file"),
    path("rounds/", inspections.RoundListView.as_view(), name="round_list"),
    path("rounds/<int:pk>/", inspections.RoundDetailView.as_view(), name="round_detail"),
    path("bulletins/", bulletins.BulletinListView.as_view(), name="bulletin_list"),
    path("bulletins/new/", bulletins.BulletinCreateView.as_view(), name="bulletin_create"),
    path("bulletins/<int:pk>/", bulletins.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/publish/", bulletins.BulletinPublishView.as_view(), name="bulletin_publish"),
    path("bulletins/<int:pk>/print/", bulletins.BulletinPrintView.as_view(), name="bulletin_print"),
    path("bulletins/<int:pk>/docx/", bulletins.BulletinDocxView.as_view(), name="bulletin_docx"),
    path("findings/<int:pk>/reply/", secretary.FindingReplyView.as_view(), name="finding_reply"),
    path("findings/<int:pk>/chase/", findings.FindingChaseView.as_view(), name="finding_chase"),
    path("yellow-cards/", cards.YellowCardListView.as_view(), name="yellowcard_list"),
    path("yellow-cards/new/", cards.YellowCardCreateView.as_view(), name="yellowcard_create"),
    path("yellow-cards/proposals/", cards.ProposalListView.as_view(), name="proposal_list"),
    path(
        "yellow-cards/proposals/<int:pk>/<str:decision>/",
        cards.ProposalDecisionView.as_view(),
        name="proposal_decide",
    ),
    path("yellow-cards/<int:pk>/", cards.YellowCardDetailView.as_view(), name="yellowcard_detail"),
    path(
        "yellow-cards/<int:pk>/escalate/", cards.YellowCardEscalateView.as_view(), name="yellowcard_escalate"
    ),
    path("yellow-cards/<int:pk>/lift/", cards.YellowCardLiftView.as_view(), name="yellowcard_lift"),
    path("secretary/", secretary.SecretaryItemListView.as_view(), name="secretary_list"),
    path("secretary/new/", secretary.SecretaryItemCreateView.as_view(), name="secretary_create"),
    path("deductions/", secretary.DeductionListView.as_view(), name="deduction_list"),
    path(
        "deductions/<int:pk>/<str:decision>/",
        secretary.DeductionDecisionView.as_view(),
        name="deduction_decide",
    ),
    path("cadres/<int:user_id>/", secretary.CadreView.as_view(), name="cadre_detail"),
    path("guidance/", guidance.GuidanceListView.as_view(), name="guidance_list"),
    path("guidance/new/", guidance.GuidanceCreateView.as_view(), name="guidance_create"),
    path("guidance/<int:pk>/", guidance.GuidanceDetailView.as_view(), name="guidance_detail"),
    path(
        "guidance/follow-ups/<int:pk>/finding/",
        guidance.FollowUpFindingView.as_view(),
        name="guidance_follow_up",
    ),
    path(
        "guidance/attachments/<int:pk>/",
        guidance.GuidanceAttachmentView.as_view(),
        name="guidance_attachment",
    ),
]
