from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.actions import validated

from ...filtersets import BulletinFilterSet
from ...models import Finding
from ...querysets import bulletins_visible_to
from ...services.bulletins import bulletin_publish
from ...views.bulletins import docx_response
from ..serializers import BulletinPublishSerializer, BulletinSerializer


class BulletinViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BulletinSerializer
    filterset_class = BulletinFilterSet

    def get_queryset(self):
        return (
            bulletins_visible_to(self.request.user)
            .prefetch_related(Prefetch("findings", queryset=Finding.objects.only("pk")))
            .order_by("-issued_on", "-pk")
        )

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): bytes}
    )
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        return docx_response(self.get_object())

    @extend_schema(request=BulletinPublishSerializer, responses=BulletinSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        bulletin = self.get_object()
        bulletin_publish(
            bulletin_id=bulletin.pk, by=request.user, **validated(BulletinPublishSerializer, request.data)
        )
        return Response(BulletinSerializer(self.get_queryset().get(pk=bulletin.pk)).data)
