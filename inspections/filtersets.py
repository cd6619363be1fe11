import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet, YesNoAllWidget
from townships.fields import TownshipFilter
from townships.filtersets import county_filter, track_filter
from townships.models import Township

from .choices import (
    DeductionStatus,
    FindingSource,
    FindingStatus,
    GuidanceTopic,
    InspectionMode,
    InspectionStatus,
    ProposalReason,
    ProposalStatus,
    Severity,
    YellowCardLevel,
    YellowCardStatus,
)
from .models import (
    Bulletin,
    Deduction,
    Finding,
    GuidanceVisit,
    Inspection,
    InspectionRound,
    Team,
    YellowCard,
    YellowCardProposal,
)
from .querysets import overdue_q


class ScopedChoicesMixin:
    """County and township choices limited to the caller's scope (out of scope = invalid choice)."""

    def __init__(self, *args, user=None, **kwargs):
        # user: for a read function that has a user and no request (inspections.selectors)
        super().__init__(*args, **kwargs)
        from townships.scope import township_choices, visible_counties

        user = user or getattr(self.request, "user", None)
        if "township" in self.filters:
            self.filters["township"].queryset = township_choices(user)
        if hasattr(self.filters.get("county"), "queryset"):  # a choice of counties, not a typed code
            self.filters["county"].queryset = visible_counties(user).order_by("code")


class FindingFilterSet(ScopedChoicesMixin, FilterSet):
    """The rectification list's filters: one set for the page, the Excel export and the API."""

    township = TownshipFilter(queryset=Township.objects.none(), label=_("township"))
    county = county_filter()
    track = track_filter()
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices, label=_("status"))
    source = django_filters.ChoiceFilter(choices=FindingSource.choices, label=_("source"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("severity"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"), widget=YesNoAllWidget)
    deadline_after = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("deadline from")
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("deadline to")
    )
    round = django_filters.ModelChoiceFilter(
        field_name="inspection__round", queryset=InspectionRound.objects.all(), label=_("round")
    )
    search = django_filters.CharFilter(field_name="description", lookup_expr="icontains", label=_("search"))

    class Meta:
        model = Finding
        fields = [
            "township",
            "county",
            "track",
            "status",
            "source",
            "severity",
            "overdue",
            "deadline_after",
            "deadline_before",
            "round",
            "search",
        ]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        from django.utils.timezone import localdate

        late = overdue_q(localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class InspectionFilterSet(ScopedChoicesMixin, FilterSet):
    township = TownshipFilter(queryset=Township.objects.none(), label=_("township"))
    county = django_filters.CharFilter(field_name="township__county__code", label=_("county"))
    mode = django_filters.ChoiceFilter(choices=InspectionMode.choices, label=_("mode"))
    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices, label=_("status"))
    round = django_filters.ModelChoiceFilter(queryset=InspectionRound.objects.all(), label=_("round"))
    date_after = django_filters.DateFilter(field_name="inspected_on", lookup_expr="gte", label=_("from"))
    date_before = django_filters.DateFilter(field_name="inspected_on", lookup_expr="lte", label=_("to"))

    class Meta:
        model = Inspection
        fields = ["township", "county", "mode", "status", "round", "date_after", "date_before"]


class BulletinFilterSet(FilterSet):
    round = django_filters.ModelChoiceFilter(queryset=InspectionRound.objects.all(), label=_("round"))
    status = django_filters.ChoiceFilter(
        choices=Bulletin._meta.get_field("status").choices, label=_("status")
    )
    # bounded so that a nonsense year is a 400, not a date error deep in the ORM
    year = django_filters.NumberFilter(
        field_name="issued_on__year", label=_("year"), min_value=2000, max_value=2100
    )

    class Meta:
        model = Bulletin
        fields = ["round", "status", "year"]


class YellowCardFilterSet(ScopedChoicesMixin, FilterSet):
    county = county_filter()
    township = TownshipFilter(queryset=Township.objects.none(), label=_("township"))
    level = django_filters.ChoiceFilter(choices=YellowCardLevel.choices, label=_("level"))
    status = django_filters.ChoiceFilter(choices=YellowCardStatus.choices, label=_("status"))

    class Meta:
        model = YellowCard
        fields = ["county", "township", "level", "status"]


class YellowCardProposalFilterSet(ScopedChoicesMixin, FilterSet):
    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("status"))
    reason = django_filters.ChoiceFilter(choices=ProposalReason.choices, label=_("trigger"))
    county = county_filter()

    class Meta:
        model = YellowCardProposal
        fields = ["status", "reason", "county"]


class DeductionFilterSet(ScopedChoicesMixin, FilterSet):
    status = django_filters.ChoiceFilter(choices=DeductionStatus.choices, label=_("status"))
    county = county_filter()
    person = django_filters.NumberFilter(field_name="person_id", label=_("cadre"))

    class Meta:
        model = Deduction
        fields = ["status", "county", "person"]


class GuidanceVisitFilterSet(ScopedChoicesMixin, FilterSet):
    """专项指导: per township, per track, per team, per topic; for the page and the API."""

    township = TownshipFilter(queryset=Township.objects.none(), label=_("township"))
    county = county_filter()
    track = track_filter()
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), label=_("specialist group"))
    topic = django_filters.ChoiceFilter(
        field_name="topics",
        lookup_expr="contains",
        method="filter_topic",
        choices=GuidanceTopic.choices,
        label=_("topic"),
    )
    date_after = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte", label=_("from"))
    date_before = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte", label=_("to"))

    class Meta:
        model = GuidanceVisit
        fields = ["township", "county", "track", "team", "topic", "date_after", "date_before"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "team" in self.filters:
            from .querysets import teams_visible_to

            user = kwargs.get("user") or getattr(self.request, "user", None)
            self.filters["team"].queryset = teams_visible_to(user).filter(kind="specialist")

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__contains=[value]) if value else queryset
