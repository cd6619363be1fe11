from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.actions import validated
from notifications.filtersets import NotificationFilterSet
from notifications.models import Notification
from notifications.services.inbox import notification_mark_read, notifications_mark_all_read

from .serializers import MarkReadInputSerializer, MarkReadResultSerializer, NotificationSerializer


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, unread first. Marking read is allowed to every role,
    read-only ones included: it changes the reader's inbox, not programme data."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return Notification.objects.for_user(self.request.user).select_related("content_type").inbox_order()

    @extend_schema(
        operation_id="notifications_mark_read_many",
        request=MarkReadInputSerializer,
        responses=MarkReadResultSerializer,
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        ids = validated(MarkReadInputSerializer, request.data).get("ids")
        marked = notifications_mark_all_read(user=request.user, ids=ids)
        return Response({"marked": marked})

    @extend_schema(operation_id="notifications_mark_read_one", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_one_read(self, request, pk=None):
        try:
            notification = notification_mark_read(notification_id=int(pk), user=request.user)
        except (Notification.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        return Response(NotificationSerializer(notification).data)
