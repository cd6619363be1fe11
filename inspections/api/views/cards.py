from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.actions import ServiceActionMixin, validated
from townships.scope import scoped

from ...filtersets import YellowCardFilterSet, YellowCardProposalFilterSet
from ...models import Finding, YellowCard, YellowCardEvent, YellowCardProposal
from ...permissions import ensure_can_decide_proposal, ensure_can_escalate, ensure_can_lift
from ...services.cards import (
    yellow_card_escalate,
    yellow_card_issue,
    yellow_card_lift,
    yellow_card_proposal_accept,
    yellow_card_proposal_dismiss,
)
from ..serializers import (
    AcceptSerializer,
    DismissSerializer,
    EscalateSerializer,
    LiftSerializer,
    ProposalSerializer,
    YellowCardSerializer,
)


class YellowCardViewSet(
    ServiceActionMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Yellow cards: POST issues one (linked to `finding_ids`, default the township's open items)."""

    serializer_class = YellowCardSerializer
    filterset_class = YellowCardFilterSet
    service_key = "card_id"

    def get_queryset(self):
        return (
            scoped(YellowCard.objects.all(), self.request.user)
            .select_related("township", "township__county", "issued_by", "lifted_by")
            .with_item_counts()
            .prefetch_related(
                Prefetch("findings", queryset=Finding.objects.only("pk")),
                Prefetch(
                    "events", queryset=YellowCardEvent.objects.select_related("actor").order_by("at", "pk")
                ),
            )
            .order_by("-issued_at", "-pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        township = data["township"]
        findings = data.get("findings")
        if findings is None:
            findings = Finding.objects.open().filter(township=township)
        card = yellow_card_issue(
            by=self.request.user,
            township=township,
            reason=data["reason"],
            findings=findings,
        )
        serializer.instance = self.get_queryset().get(pk=card.pk)

    @extend_schema(request=EscalateSerializer, responses=YellowCardSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        card = self.act(
            request, yellow_card_escalate, guard=ensure_can_escalate, serializer=EscalateSerializer
        )
        return self.answer(card.pk)

    @extend_schema(request=LiftSerializer, responses=YellowCardSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        card = self.act(request, yellow_card_lift, guard=ensure_can_lift, serializer=LiftSerializer)
        return self.answer(card.pk)


class YellowCardProposalViewSet(ServiceActionMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProposalSerializer
    filterset_class = YellowCardProposalFilterSet
    service_key = "proposal_id"

    def get_queryset(self):
        return (
            scoped(YellowCardProposal.objects.all(), self.request.user)
            .select_related("township")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(request=AcceptSerializer, responses=YellowCardSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        proposal = self.get_object()
        ensure_can_decide_proposal(request.user, proposal)
        card = yellow_card_proposal_accept(
            proposal_id=proposal.pk, by=request.user, **validated(AcceptSerializer, request.data)
        )
        return Response(
            YellowCardSerializer(YellowCardViewSet(request=request).get_queryset().get(pk=card.pk)).data
        )

    @extend_schema(request=DismissSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        proposal = self.act(
            request,
            yellow_card_proposal_dismiss,
            guard=ensure_can_decide_proposal,
            serializer=DismissSerializer,
        )
        return self.answer(proposal.pk)
