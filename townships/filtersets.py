import django_filters
import django_filters.widgets
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet, YesNoAllWidget

from .choices import TownshipCategory, TownshipStatus
from .models import City, County, ProgressReport, Target, Township, Track


def county_filter(field_name: str = "township__county", *, queryset=None):
    """A county by its statistics code. Without a queryset it offers none: the page's scope mixin
    narrows the choices to the user's counties."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="code",
        queryset=County.objects.none() if queryset is None else queryset,
        label=_("county"),
    )


def track_filter(field_name: str = "track", *, queryset=None):
    """A track by its code, in the programme's order unless a queryset is given."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="code",
        queryset=Track.objects.order_by("position") if queryset is None else queryset,
        label=_("track"),
    )


class CityFilterSet(FilterSet):
    code = django_filters.CharFilter(label=_("code"))

    class Meta:
        model = City
        fields = ["code"]


class CountyFilterSet(FilterSet):
    city = django_filters.CharFilter(field_name="city__code", label=_("city code"))
    code = django_filters.CharFilter(label=_("code"))

    class Meta:
        model = County
        fields = ["city", "code"]


class TownshipFilterSet(FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("Search name or alias"))
    county = county_filter("county", queryset=County.objects.all())
    category = django_filters.ChoiceFilter(choices=TownshipCategory.choices, label=_("category"))
    status = django_filters.ChoiceFilter(choices=TownshipStatus.choices, label=_("status"))
    plan_year = django_filters.NumberFilter(label=_("plan year"))
    in_programme = django_filters.BooleanFilter(label=_("in programme"), widget=YesNoAllWidget)

    class Meta:
        model = Township
        fields = ["search", "county", "category", "status", "plan_year", "in_programme"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class TargetFilterSet(FilterSet):
    township = django_filters.NumberFilter(field_name="township_id", label=_("township"))
    township_code = django_filters.CharFilter(field_name="township__code", label=_("township code"))
    county = django_filters.CharFilter(field_name="township__county__code", label=_("county"))
    track = django_filters.CharFilter(field_name="track__code", label=_("track"))

    class Meta:
        model = Target
        fields = ["township", "township_code", "county", "track"]


class ProgressReportFilterSet(FilterSet):
    township = django_filters.NumberFilter(field_name="target__township_id", label=_("township"))
    county = county_filter("target__township__county", queryset=County.objects.all())
    track = track_filter("target__track", queryset=Track.objects.all())
    reported_after = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="gte", label=_("reported on or after")
    )
    reported_before = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="lte", label=_("reported on or before")
    )

    class Meta:
        model = ProgressReport
        fields = ["township", "county", "track", "reported_after", "reported_before"]
