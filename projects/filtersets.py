import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet, YesNoAllWidget
from townships.fields import TownshipFilter
from townships.filtersets import county_filter, track_filter
from townships.models import County, Township
from townships.scope import township_choices

from .choices import FAST_TRACK_MODES, HouseholdStage, ProcurementMode, ProjectStatus
from .models import AgentOwner, Household, Project


def _townships(request):
    if request is None:
        return Township.objects.none()
    return township_choices(request.user)


class ProjectFilterSet(FilterSet):
    """One FilterSet for the list page, its Excel export and the API (expects ProjectQuerySet.with_money())."""

    search = django_filters.CharFilter(method="filter_search", label=_("Search name or code"))
    township = TownshipFilter(queryset=_townships, label=_("township"))
    county = county_filter(queryset=County.objects.all())
    track = track_filter()
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("status"))
    procurement_mode = django_filters.ChoiceFilter(
        choices=ProcurementMode.choices, label=_("procurement mode")
    )
    fast_track = django_filters.BooleanFilter(
        method="filter_fast_track", label=_("fast-track"), widget=YesNoAllWidget
    )
    over_budget = django_filters.BooleanFilter(
        method="filter_over_budget", label=_("over budget"), widget=YesNoAllWidget
    )
    agent_owner = django_filters.ModelChoiceFilter(
        queryset=AgentOwner.objects.filter(archived=False).order_by("company"), label=_("agent owner")
    )

    class Meta:
        model = Project
        fields = [
            "search",
            "township",
            "county",
            "track",
            "status",
            "procurement_mode",
            "fast_track",
            "over_budget",
            "agent_owner",
        ]

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_fast_track(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(procurement_mode__in=FAST_TRACK_MODES)
        return queryset.exclude(procurement_mode__in=FAST_TRACK_MODES)

    def filter_over_budget(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(over_budget=value)


class HouseholdFilterSet(FilterSet):
    project = django_filters.NumberFilter(field_name="project_id", label=_("project"))
    township = django_filters.NumberFilter(field_name="project__township_id", label=_("township"))
    stage = django_filters.ChoiceFilter(choices=HouseholdStage.choices, label=_("stage"))

    class Meta:
        model = Household
        fields = ["project", "township", "stage"]
