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


# Per grouping: the selector, and the answer's labels with the column of its rows each comes from.
_GROUPINGS = {
    "township": (
        township_rates,
        {
            "township": "township_id",
            "county": "township__county__code",
            "code": "township__code",
            "name": "township__name",
        },
    ),
    "county": (
        county_rates,
        {
            "county": "township__county__code",
            "code": "township__county__code",
            "name": "township__county__name",
        },
    ),
}
_COUNTS = ("cleaners", "certified", "certified_rate")


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
        if group_by not in _GROUPINGS:
            raise ValidationError({"group_by": ["township or county"]})
        rates, labels = _GROUPINGS[group_by]
        rows = [
            {
                **{label: r[column] for label, column in labels.items()},
                **{count: r[count] for count in _COUNTS},
            }
            for r in rates(user=request.user, county=county)
        ]
        return Response(CleanerRateSerializer(rows, many=True).data)
