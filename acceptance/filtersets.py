"""One FilterSet per model, shared by the pages and the API: year, county (code), township (id), level, result."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import FilterSet

from .choices import ApplicationStatus, Level, PlanStatus, ReviewResult
from .models import Application, Expert, PlanEntry, Review, SpotCheck


class _Common(FilterSet):
    year = django_filters.NumberFilter(label=_("year"))
    county = django_filters.CharFilter(field_name="township__county__code", label=_("county code"))
    township = django_filters.NumberFilter(field_name="township_id", label=_("township"))


class PlanEntryFilterSet(_Common):
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=_("status"))

    class Meta:
        model = PlanEntry
        fields = ["year", "county", "township", "status"]


RESULTS = [
    ("passed", _("Passed (达标)")),
    ("failed", _("Not passed (未达标)")),
    ("model", _("Provincial model")),
]


class ApplicationFilterSet(_Common):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("status"))
    level = django_filters.ChoiceFilter(
        choices=Level.choices, method="filter_level", label=_("reviewed at level")
    )
    result = django_filters.ChoiceFilter(choices=RESULTS, method="filter_result", label=_("result"))

    class Meta:
        model = Application
        fields = ["year", "county", "township", "status", "level", "result"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(pk__in=Review.objects.filter(level=value).values("application_id"))

    def filter_result(self, queryset, name, value):
        if value == "model":
            return queryset.filter(model_status="confirmed")
        return queryset.filter(status=value)


class ReviewFilterSet(FilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("level"))
    result = django_filters.ChoiceFilter(choices=ReviewResult.choices, label=_("result"))

    class Meta:
        model = Review
        fields = ["level", "result"]


class SpotCheckFilterSet(_Common):
    year = django_filters.NumberFilter(field_name="application__year", label=_("year"))
    result = django_filters.ChoiceFilter(
        choices=[("kept", _("Title kept")), ("revoked", _("Title revoked"))],
        method="filter_result",
        label=_("result"),
    )

    class Meta:
        model = SpotCheck
        fields = ["year", "county", "township", "result"]

    def filter_result(self, queryset, name, value):
        return queryset.filter(passed=value == "kept")


class ExpertFilterSet(FilterSet):
    county = django_filters.CharFilter(field_name="county__code", label=_("county code"))
    track = django_filters.CharFilter(field_name="track__code", label=_("track"))

    class Meta:
        model = Expert
        fields = ["county", "track"]
