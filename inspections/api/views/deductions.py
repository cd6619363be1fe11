from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from core.api.actions import ServiceActionMixin, validated
from townships.scope import scoped

from ...filtersets import DeductionFilterSet
from ...models import Deduction
from ...permissions import ensure_can_decide_deduction
from ...services.secretary import deduction_confirm, deduction_waive
from ..serializers import DecisionSerializer, DeductionSerializer


class DeductionViewSet(ServiceActionMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DeductionSerializer
    filterset_class = DeductionFilterSet
    service_key = "deduction_id"

    def get_queryset(self):
        return scoped(Deduction.objects.all(), self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=DecisionSerializer, responses=DeductionSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        deduction = self.act(
            request, deduction_confirm, guard=ensure_can_decide_deduction, serializer=DecisionSerializer
        )
        return self.answer(deduction.pk)

    @extend_schema(request=DecisionSerializer, responses=DeductionSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        deduction = self.get_object()
        ensure_can_decide_deduction(request.user, deduction)
        note = validated(DecisionSerializer, request.data)["note"]
        deduction_waive(deduction_id=deduction.pk, by=request.user, reason=note)
        return self.answer(deduction.pk)
