from .guidance import GuidanceVisitViewSet
from .views.bulletins import BulletinViewSet
from .views.cards import YellowCardProposalViewSet, YellowCardViewSet
from .views.deductions import DeductionViewSet
from .views.findings import FindingViewSet
from .views.inspections import InspectionRoundViewSet, InspectionViewSet, TeamViewSet


def register(router) -> None:
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("findings", FindingViewSet, basename="finding")
    router.register("bulletins", BulletinViewSet, basename="bulletin")
    router.register("inspection-rounds", InspectionRoundViewSet, basename="inspection-round")
    router.register("teams", TeamViewSet, basename="team")
    router.register("yellow-cards", YellowCardViewSet, basename="yellow-card")
    router.register("yellow-card-proposals", YellowCardProposalViewSet, basename="yellow-card-proposal")
    router.register("deductions", DeductionViewSet, basename="deduction")
    router.register("guidance-visits", GuidanceVisitViewSet, basename="guidance-visit")
