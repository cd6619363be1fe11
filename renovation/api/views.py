from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class FloorView(APIView):
    """A constant answer through the same middleware, auth and permissions: the benchmark's floor."""

    @extend_schema(
        responses=inline_serializer("Floor", {"ok": serializers.BooleanField()}), summary="Benchmark floor"
    )
    def get(self, request):
        return Response({"ok": True})
