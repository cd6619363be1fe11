"""The shallow filter copy (core.filtersets.FilterSet) behaves as django-filter's deep copy."""

import pytest
from django.test import RequestFactory

from inspections.filtersets import FindingFilterSet, YellowCardFilterSet
from inspections.models import Finding, YellowCard
from townships.filtersets import TownshipFilterSet
from townships.models import Township

pytestmark = [pytest.mark.django_db]


def test_each_instance_has_its_own_filters_bound_to_it(lishui):
    one, two = TownshipFilterSet({"county": "331102"}), TownshipFilterSet({"county": "331181"})
    for name, declared in TownshipFilterSet.base_filters.items():
        assert one.filters[name] is not declared and one.filters[name] is not two.filters[name]
        assert one.filters[name].parent is one and two.filters[name].parent is two
        assert one.filters[name].model is Township
        assert not hasattr(declared, "parent")  # the declared filters are never bound
    assert one.qs.count() == 15 and two.qs.count() == 19


def test_method_filters_call_their_own_filterset(users, township):
    request = RequestFactory().get("/")
    request.user = users["city_office"]
    filterset = FindingFilterSet({"overdue": "true"}, Finding.objects.all(), request=request)
    overdue = filterset.filters["overdue"]
    assert overdue.filter.f is overdue  # FilterMethod of the copy, resolving on this filterset
    assert overdue.filter.method.__self__ is filterset
    assert filterset.is_valid(), filterset.errors


def test_scoped_choices_do_not_leak_between_requests(users, township, other_township):
    def choices(user):
        request = RequestFactory().get("/")
        request.user = user
        filterset = YellowCardFilterSet({}, YellowCard.objects.all(), request=request)
        return set(filterset.form.fields["township"].queryset.values_list("pk", flat=True))

    staff = choices(users["township_staff"])
    city = choices(users["city_office"])
    assert staff == {township.pk} and other_township.pk in city
    assert choices(users["township_staff"]) == staff  # the wider scope did not stay behind
    assert YellowCardFilterSet.base_filters["township"].queryset.count() == 0  # declared none() untouched
