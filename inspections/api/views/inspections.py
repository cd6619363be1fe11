from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ...filtersets import InspectionFilterSet
from ...models import Finding, Inspection
from ...querysets import rounds_visible_to, teams_visible_to
from ...services.findings import inspection_create, inspection_submit
from ..serializers import InspectionRoundSerializer, InspectionSerializer, TeamSerializer


class InspectionViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Inspections; POST may carry nested `findings` (photos follow through findings/{id}/photos/)."""

    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real user
            return Inspection.objects.none()
        # Drafts are the filer's working copies, as on the pages.
        return (
            Inspection.objects.visible_to(user)
            .with_related()
            .prefetch_related(Prefetch("findings", queryset=Finding.objects.only("pk", "inspection_id")))
            .order_by("-inspected_on", "-pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        findings = [dict(f) for f in data.pop("findings", [])]
        submit = data.pop("submit", False)
        serializer.instance = inspection_create(
            by=self.request.user, findings=findings, submit=submit, **data
        )

    @extend_schema(request=None, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        inspection = self.get_object()
        inspection_submit(inspection_id=inspection.pk, by=request.user)
        return Response(InspectionSerializer(self.get_object(), context={"request": request}).data)


class InspectionRoundViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InspectionRoundSerializer

    def get_queryset(self):
        return rounds_visible_to(self.request.user).order_by("-starts_on", "-pk")


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer

    def get_queryset(self):
        # A team of another city or county does not exist for this caller (DESIGN.md §2).
        return teams_visible_to(self.request.user).select_related("track").order_by("name")
