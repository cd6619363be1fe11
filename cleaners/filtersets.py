import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet, YesNoAllWidget
from townships.filtersets import county_filter
from townships.models import County

from .choices import TestResult
from .models import Cleaner
from .querysets import certified_q


class CleanerFilterSet(FilterSet):
    township = django_filters.NumberFilter(field_name="township_id", label=_("township"))
    county = county_filter(queryset=County.objects.all())
    test_result = django_filters.ChoiceFilter(choices=TestResult.choices, label=_("test result"))
    certified = django_filters.BooleanFilter(
        method="filter_certified", label=_("certified"), widget=YesNoAllWidget
    )
    active = django_filters.BooleanFilter(label=_("at work"), widget=YesNoAllWidget)
    expires_before = django_filters.DateFilter(
        field_name="certificate_expiry", lookup_expr="lte", label=_("certificate expires on or before")
    )

    class Meta:
        model = Cleaner
        fields = ["township", "county", "test_result", "certified", "active", "expires_before"]

    def filter_certified(self, queryset, name, value):
        return queryset.filter(certified_q()) if value else queryset.exclude(certified_q())
