"""Reads of the cleaners' register: one function each, for the page, the export and the API."""

from townships.scope import scoped

from .filtersets import CleanerFilterSet
from .models import Cleaner


def cleaner_list(*, user, filters=None, request=None):
    """Cleaners in the user's scope, filtered (CleanerFilterSet), in register order."""
    queryset = (
        scoped(Cleaner.objects.all(), user).select_related("township", "township__county").with_certified()
    )
    filterset = CleanerFilterSet(filters or {}, queryset=queryset, request=request)
    return filterset.valid_qs.order_by("township__code", "name", "pk"), filterset


def township_rates(*, user, county: str | None = None, township_id: int | None = None):
    """Certified rate per township in scope (one query: counts grouped in the database)."""
    qs = scoped(Cleaner.objects.all(), user)
    if county:
        qs = qs.filter(township__county__code=county)
    if township_id:
        qs = qs.filter(township_id=township_id)
    return qs.rates("township_id", "township__code", "township__name", "township__county__code")


def county_rates(*, user, county: str | None = None):
    """Certified rate per county in scope (one query)."""
    qs = scoped(Cleaner.objects.all(), user)
    if county:
        qs = qs.filter(township__county__code=county)
    return qs.rates("township__county_id", "township__county__code", "township__county__name")
