from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cleaners.filtersets import CleanerFilterSet
from cleaners.models import Cleaner
from cleaners.selectors import county_rates, township_rates
from townships.scope import scoped

from .serializers import CleanerRateSerializer, CleanerSerializer


class CleanerViewSet(viewsets.ReadOnlyModelViewSet):
    """The cleaners' register in the caller's scope (保洁员持证上岗)."""

    serializer_class = CleanerSerializer
    filterset_class = CleanerFilterSet

    def get_queryset(self):
        return (
            scoped(Cleaner.objects.all(), self.request.user)
            .select_related("township")
            .with_certified()
            .order_by("township__code", "name", "pk")
        )


class CleanerRateView(APIView):
    """Certified rate per township or per county, counted in the database (one query)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", str, enum=["township", "county"], description="default township"),
            OpenApiParameter("county", str, description="a county code"),
        ],
        responses=CleanerRateSerializer(many=True),
    )
    def get(self, request):
        group_by = request.query_params.get("group_by", "township")
        county = request.query_params.get("county") or None
        if group_by == "township":
            rows = [
                {
                    "township": r["township_id"],
                    "county": r["township__county__code"],
                    "code": r["township__code"],
                    "name": r["township__name"],
                    "cleaners": r["cleaners"],
                    "certified": r["certified"],
                    "certified_rate": r["certified_rate"],
                }
                for r in township_rates(user=request.user, county=county)
            ]
        elif group_by == "county":
            rows = [
                {
                    "county": r["township__county__code"],
                    "code": r["township__county__code"],
                    "name": r["township__county__name"],
                    "cleaners": r["cleaners"],
                    "certified": r["certified"],
                    "certified_rate": r["certified_rate"],
                }
                for r in county_rates(user=request.user, county=county)
            ]
        else:
            raise ValidationError({"group_by": ["township or county"]})
        return Response(CleanerRateSerializer(rows, many=True).data)
