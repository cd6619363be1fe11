import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet
from inspections.filtersets import ScopedChoicesMixin
from townships.fields import TownshipFilter
from townships.filtersets import county_filter
from townships.models import Township

from .choices import GridEventStatus
from .models import GridEvent


class GridEventFilterSet(ScopedChoicesMixin, FilterSet):
    """The triage queue's filters: one set for the page and the API."""

    status = django_filters.ChoiceFilter(choices=GridEventStatus.choices, label=_("status"))
    county = county_filter()
    township = TownshipFilter(queryset=Township.objects.none(), label=_("township"))
    source_system = django_filters.CharFilter(field_name="source__code", label=_("source system"))
    external_id = django_filters.CharFilter(label=_("external id"))

    class Meta:
        model = GridEvent
        fields = ["status", "county", "township", "source_system", "external_id"]
