"""Who holds a role over which township: the one set-based recipient lookup of every scan."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q

from townships.choices import Role
from townships.models import County, Membership, Township

from .choices import Delivery, EmailStatus
from .models import NotificationPreference


def role_members_sql(*, roles: Iterable[str]) -> tuple[str, list]:
    """SQL of (role, township_id, user_id): the active users holding one of `roles` over each township.

    A membership covers a township directly, through its county, or through its city, the same
    reach `townships.scope` gives it; province-wide roles are not ladder recipients. Three equi-joins
    (no OR), so the database hashes them whatever the number of townships.
    """
    roles = sorted({str(role) for role in roles} - {Role.PROVINCE})
    if not roles:
        raise ValueError("no roles")
    member, township, county = Membership._meta.db_table, Township._meta.db_table, County._meta.db_table
    user = get_user_model()._meta.db_table
    marks = ", ".join(["%s"] * len(roles))
    sql = f"""
        SELECT m.role, m.township_id, m.user_id FROM {member} m
        WHERE m.role IN ({marks}) AND m.township_id IS NOT NULL
        UNION
        SELECT m.role, t.id, m.user_id FROM {member} m JOIN {township} t ON t.county_id = m.county_id
        WHERE m.role IN ({marks})
        UNION
        SELECT m.role, t.id, m.user_id FROM {member} m JOIN {county} co ON co.city_id = m.city_id
        JOIN {township} t ON t.county_id = co.id
        WHERE m.role IN ({marks})"""  # noqa: S608 (table names are ours; roles are parameters)
    return (
        f"SELECT r.role, r.township_id, r.user_id FROM ({sql}) r JOIN {user} u ON u.id = r.user_id "  # noqa: S608
        "WHERE u.is_active",
        roles * 3,
    )


def addressed_users_sql() -> tuple[str, list]:
    """SQL of (id, status) of the users who get e-mail: active, with an address, not inbox-only;
    status is the new notice's e-mail status, pending (one e-mail each) or daily (the day's e-mail)."""
    user = get_user_model()._meta.db_table
    preference = NotificationPreference._meta.db_table
    return (
        f"""SELECT u.id, CASE WHEN p.delivery = %s THEN %s ELSE %s END AS status
        FROM {user} u LEFT JOIN {preference} p ON p.user_id = u.id
        WHERE u.is_active AND u.email <> '' AND (p.delivery IS NULL OR p.delivery <> %s)""",  # noqa: S608
        [str(Delivery.DAILY), str(EmailStatus.DAILY), str(EmailStatus.PENDING), str(Delivery.INBOX)],
    )


def email_modes(*, user_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """{user id: (address, delivery)} for the users who get e-mail (one each, or the daily one)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .exclude(notification_preference__delivery=Delivery.INBOX)
        .values_list("pk", "email", "notification_preference__delivery")
    )
    return {pk: (email, delivery or Delivery.EMAIL) for pk, email, delivery in rows}


def email_addresses(*, user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: address} for the users who have an address and have not chosen inbox only."""
    return {pk: email for pk, (email, _delivery) in email_modes(user_ids=user_ids).items()}


def mobiles(*, user_ids: Iterable[int]) -> list[str]:
    """The mobile numbers the people gave for an @ in DingTalk groups."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    return sorted(
        set(
            NotificationPreference.objects.filter(user_id__in=ids, user__is_active=True)
            .exclude(mobile="")
            .values_list("mobile", flat=True)
        )
    )


def city_office_ids(*, city_id: int) -> set[int]:
    """Active city-office members of the city."""
    return set(
        Membership.objects.filter(role=Role.CITY_OFFICE, city_id=city_id, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def user_ids_by_county(*, role: str, county_ids: Iterable[int]) -> dict[int, set[int]]:
    """{county id: ids of active users holding `role` over the whole county (or its city)}."""
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


def role_holder_ids(*, roles: Iterable[str], township: Township) -> set[int]:
    """Active users holding one of `roles` over `township` (directly, through its county or city)."""
    city_id = township.county.city_id
    reach = Q(township_id=township.pk) | Q(county_id=township.county_id) | Q(city_id=city_id)
    return set(
        Membership.objects.filter(reach, role__in=[str(r) for r in roles], user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
