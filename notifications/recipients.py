"""Who holds a role over which township: the one set-based recipient lookup of every scan."""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from townships.choices import Role
from townships.models import Membership, Township


def user_ids_by_township(*, role: str, township_ids: Iterable[int]) -> dict[int, set[int]]:
    """{township id: ids of active users holding `role` over it}, in two queries whatever the count.

    A membership covers a township directly, through its county, or through its city, the same
    reach `townships.scope` gives it; province-wide roles are not ladder recipients.
    """
    ids = sorted(set(township_ids))
    result: dict[int, set[int]] = {pk: set() for pk in ids}
    if not ids or role == Role.PROVINCE:
        return result
    places = list(Township.objects.filter(pk__in=ids).values_list("pk", "county_id", "county__city_id"))
    county_ids = {county for _pk, county, _city in places}
    city_ids = {city for _pk, _county, city in places}
    by_township, by_county, by_city = defaultdict(set), defaultdict(set), defaultdict(set)
    members = (
        Membership.objects.filter(role=role, user__is_active=True).filter(township_id__in=ids)
        | Membership.objects.filter(role=role, user__is_active=True, county_id__in=county_ids)
        | (Membership.objects.filter(role=role, user__is_active=True, city_id__in=city_ids))
    )
    for user_id, township_id, county_id, city_id in members.values_list(
        "user_id", "township_id", "county_id", "city_id"
    ):
        if township_id:
            by_township[township_id].add(user_id)
        if county_id:
            by_county[county_id].add(user_id)
        if city_id:
            by_city[city_id].add(user_id)
    for pk, county, city in places:
        result[pk] = by_township[pk] | by_county[county] | by_city[city]
    return result


def email_addresses(*, user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: address} for the users who have an address and have not turned e-mail off."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .exclude(notification_preference__email_enabled=False)
        .values_list("pk", "email")
    )
    return dict(rows)


def user_ids_by_county(*, role: str, county_ids: Iterable[int]) -> dict[int, set[int]]:
    """{county id: ids of active users holding `role` over the whole county (or its city)}."""
    from townships.models import County

    ids = sorted(set(county_ids))
    result: dict[int, set[int]] = {pk: set() for pk in ids}
    if not ids:
        return result
    city_of = dict(County.objects.filter(pk__in=ids).values_list("pk", "city_id"))
    members = Membership.objects.filter(role=role, user__is_active=True, county_id__in=ids) | (
        Membership.objects.filter(role=role, user__is_active=True, city_id__in=set(city_of.values()))
    )
    for user_id, county_id, city_id in members.values_list("user_id", "county_id", "city_id"):
        for pk in ids:
            if county_id == pk or (city_id and city_of.get(pk) == city_id):
                result[pk].add(user_id)
    return result
