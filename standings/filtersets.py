import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet, YesNoAllWidget
from townships.choices import TownshipCategory
from townships.filtersets import county_filter
from townships.models import County

from .choices import RankingStatus, WarningColour
from .models import Ranking, RankingEntry, WarningSnapshot


class WarningSnapshotFilterSet(FilterSet):
    period = django_filters.CharFilter(label=_("period (YYYY-MM)"))
    county = county_filter("county", queryset=County.objects.all())
    colour = django_filters.ChoiceFilter(choices=WarningColour.choices, label=_("warning colour"))
    # People type a township's name (碧湖); scripts pass its id. Both answer, neither is "enter a number".
    township = django_filters.CharFilter(method="filter_township", max_length=100, label=_("township"))

    class Meta:
        model = WarningSnapshot
        fields = ["period", "county", "colour", "township"]

    def filter_township(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(township_id=int(value))
        return queryset.filter(township__name__icontains=value)


class RankingFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=RankingStatus.choices, label=_("status"))

    class Meta:
        model = Ranking
        fields = ["status"]


class RankingEntryFilterSet(FilterSet):
    period = django_filters.CharFilter(field_name="ranking__period", label=_("period (YYYY-MM)"))
    county = county_filter("county", queryset=County.objects.all())
    category = django_filters.ChoiceFilter(choices=TownshipCategory.choices, label=_("category"))
    published = django_filters.BooleanFilter(
        method="filter_published", label=_("published"), widget=YesNoAllWidget
    )

    class Meta:
        model = RankingEntry
        fields = ["period", "county", "category", "published"]

    def filter_published(self, queryset, name, value):
        status = RankingStatus.PUBLISHED if value else RankingStatus.DRAFT
        return queryset.filter(ranking__status=status)
