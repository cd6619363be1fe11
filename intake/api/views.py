from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from core.api.actions import validated

from .. import services
from ..filtersets import GridEventFilterSet
from ..models import GridEvent, GridEventPhoto
from ..selectors import grid_event_get, grid_event_list
from .serializers import GridEventInSerializer, GridEventSerializer


class IntakePermission(BasePermission):
    """Reads as everywhere (scope decides the rows); a POST only by a registered source system's account.

    That account is an API client, so every other write stays refused by ScopedRolePermission.
    """

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        services.ensure_can_send(request.user)  # 403 with the reason
        return True


def _rows(queryset):
    return queryset.select_related("source", "township__county", "track", "finding").prefetch_related(
        Prefetch("photos", queryset=GridEventPhoto.objects.order_by("pk"))
    )


class GridEventViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Grid officers' reports from source systems (基层治理四平台) and what became of them.

    POST by a source system's account: a second POST with the same (source_system, external_id)
    answers the first event with 200 and changes nothing. GET shows the triage outcome and the status
    of the finding it became or joined.
    """

    serializer_class = GridEventSerializer
    filterset_class = GridEventFilterSet
    permission_classes = [IntakePermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return GridEvent.objects.none()
        # The filter backend applies GridEventFilterSet; the selector gives scope and order.
        return _rows(grid_event_list(user=self.request.user))

    def get_object(self):
        event = grid_event_get(
            user=self.request.user, pk=self.kwargs["pk"], queryset=_rows(GridEvent.objects)
        )
        self.check_object_permissions(self.request, event)
        return event

    @extend_schema(
        request={"application/json": GridEventInSerializer, "multipart/form-data": GridEventInSerializer},
        responses={
            201: GridEventSerializer,
            200: OpenApiResponse(GridEventSerializer, description="A duplicate: the event sent before."),
        },
    )
    def create(self, request, *args, **kwargs):
        data = dict(validated(GridEventInSerializer, request.data))
        data["track_code"] = data.pop("track")
        event, created = services.grid_event_receive(by=request.user, **data)
        answer = GridEventSerializer(_rows(GridEvent.objects).get(pk=event.pk), context={"request": request})
        return Response(answer.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
