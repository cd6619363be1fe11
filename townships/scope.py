"""The one place that decides what a user may see and do (DESIGN.md §2).

Every page, API endpoint, export and job asks these functions; nothing else reads Membership.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, QuerySet
from django.db.models.functions import JSONObject
from django.http import Http404

from .choices import READ_ONLY_ROLES, Role
from .models import County, Membership, Township


@dataclass(frozen=True)
class Scope:
    """A user's memberships reduced to id sets; loaded once per request."""

    everything: bool = False
    city_ids: frozenset[int] = frozenset()
    county_ids: frozenset[int] = frozenset()
    township_ids: frozenset[int] = frozenset()
    # role -> (city ids, county ids, township ids, whole province?)
    roles: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.city_ids or self.county_ids or self.township_ids)


def scope_key(user) -> str:
    """A short stable key for what this user sees (for caching answers that depend only on scope)."""
    scope = user_scope(user)
    if scope.everything:
        return "all"
    parts = (sorted(scope.city_ids), sorted(scope.county_ids), sorted(scope.township_ids))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def user_scope(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated:
        return Scope()
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    rows = Membership.objects.filter(user=user).values_list(*MEMBERSHIP_COLUMNS)
    return _remember(user, rows)


MEMBERSHIP_COLUMNS = ("role", "city_id", "county_id", "township_id")


def with_memberships(queryset: QuerySet, user_path: str) -> QuerySet:
    """Annotate `membership_rows`, the memberships of the user at `user_path`.

    Authentication reads the user and their memberships in one query this way (see preload_scope);
    elsewhere the scope costs a second query on first use.
    """
    rows = (
        Membership.objects.filter(user=OuterRef(user_path))
        .order_by()
        .values(row=JSONObject(**{column: column for column in MEMBERSHIP_COLUMNS}))
    )
    return queryset.annotate(membership_rows=ArraySubquery(rows))


def preload_scope(user, obj) -> None:
    """Cache the scope from `membership_rows` of `obj` (with_memberships), when it was annotated."""
    rows = getattr(obj, "membership_rows", None)
    if rows is not None:
        _remember(user, [tuple(row[column] for column in MEMBERSHIP_COLUMNS) for row in rows])


def _remember(user, rows: Iterable[tuple]) -> Scope:
    roles: dict[str, list] = {}
    city_ids, county_ids, township_ids, everything = set(), set(), set(), bool(user.is_superuser)
    for role, city_id, county_id, township_id in rows:
        entry = roles.setdefault(role, [set(), set(), set(), False])
        if role == Role.PROVINCE:
            everything = True
            entry[3] = True
        if city_id:
            city_ids.add(city_id)
            entry[0].add(city_id)
        if county_id:
            county_ids.add(county_id)
            entry[1].add(county_id)
        if township_id:
            township_ids.add(township_id)
            entry[2].add(township_id)
    scope = Scope(
        everything=everything,
        city_ids=frozenset(city_ids),
        county_ids=frozenset(county_ids),
        township_ids=frozenset(township_ids),
        roles={r: (frozenset(c), frozenset(k), frozenset(t), e) for r, (c, k, t, e) in roles.items()},
    )
    user._scope_cache = scope
    return scope


def township_filter(user, prefix: str = "") -> Q:
    """A Q object over a model that reaches Township through `prefix` (e.g. "township__")."""
    scope = user_scope(user)
    if scope.everything:
        return Q()
    if scope.empty:
        return Q(pk__in=[])
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    if scope.city_ids:
        q |= Q(**{f"{prefix}county__city_id__in": sorted(scope.city_ids)})
    if scope.county_ids:
        q |= Q(**{f"{prefix}county_id__in": sorted(scope.county_ids)})
    if scope.township_ids:
        q |= Q(**{f"{prefix}pk__in": sorted(scope.township_ids)})
    return q


def visible_townships(user) -> QuerySet[Township]:
    """Townships this user may see; every page, endpoint, export and job starts here."""
    return Township.objects.filter(township_filter(user))


def township_choices(user) -> QuerySet[Township]:
    """Visible townships as a filter's choices: only the columns a <select> prints (1,191 for a province)."""
    return visible_townships(user).only("pk", "code", "name").order_by("code")


def scoped(queryset: QuerySet, user, township_path: str = "township") -> QuerySet:
    """Restrict any queryset whose rows belong to a township (via `township_path`) to the user's scope."""
    return queryset.filter(township_filter(user, prefix=f"{township_path}__"))


def visible_counties(user) -> QuerySet[County]:
    """Counties with at least one visible township (a township official sees their own county)."""
    scope = user_scope(user)
    if scope.everything:
        return County.objects.all()
    q = Q(pk__in=[])
    if scope.city_ids:
        q |= Q(city_id__in=sorted(scope.city_ids))
    if scope.county_ids:
        q |= Q(pk__in=sorted(scope.county_ids))
    if scope.township_ids:
        q |= Q(townships__pk__in=sorted(scope.township_ids))
    return County.objects.filter(q).distinct()


def visible_cities(user):
    """Cities with at least one visible township."""
    from .models import City

    return City.objects.filter(counties__in=visible_counties(user)).distinct()


def visible_people(user):
    """People whose role reaches a township this user sees: the only ones a form or a request may name.

    Anyone else answers like an id that does not exist, so a refusal never tells who has an account.
    """
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.all()
    scope = user_scope(user)
    if scope.empty:
        return people.none()
    counties = visible_counties(user)
    reach = Membership.objects.filter(
        Q(township__in=visible_townships(user))
        | Q(county__in=counties)
        | Q(city__in=visible_cities(user).values("pk"))
    )
    return people.filter(pk__in=reach.values("user_id"))


def get_visible_or_404(queryset: QuerySet, user, township_path: str = "township", **lookup):
    """Fetch one object in the user's scope; out of scope looks exactly like missing (404)."""
    try:
        return scoped(queryset, user, township_path).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def roles_for(user, township: Township | None = None) -> set[str]:
    """The roles the user holds whose scope covers `township` (all held roles when None)."""
    if user is None or not user.is_authenticated:
        return set()
    scope = user_scope(user)
    held = set()
    for role, (city_ids, county_ids, township_ids, everything) in scope.roles.items():
        if (
            township is None
            or everything
            or (
                township.pk in township_ids
                or township.county_id in county_ids
                or (city_ids and _township_city_id(township) in city_ids)
            )
        ):
            held.add(role)
    return held


def _township_city_id(township: Township) -> int:
    # county is usually select_related; fall back to one small query otherwise
    return township.county.city_id


def has_role(user, roles: Iterable[str], township: Township | None = None) -> bool:
    """True when the user holds one of `roles` over `township` (superusers always do)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    return bool(roles_for(user, township) & set(roles))


def is_read_only(user) -> bool:
    """Province observers and API clients read but never write."""
    if not user.is_authenticated:
        return True
    if user.is_superuser:
        return False
    held = roles_for(user)
    return bool(held) and held <= set(READ_ONLY_ROLES)


# Roles a picker may offer: people who work on items, never read-only accounts (province, API clients).
PICKABLE_ROLES = (Role.TOWNSHIP_STAFF, Role.COUNTY_OFFICIAL, Role.CITY_OFFICE, Role.INSPECTOR)


def people_for(township: Township | None, roles: Iterable[str], user=None) -> QuerySet:
    """Active people holding one of `roles` over `township` (its own staff, its county, its city).

    With no township (a form before one is chosen), people holding those roles anywhere `user` sees.
    Read-only roles are never offered whatever `roles` says. Memberships come prefetched with their
    places, so people.person_label() costs no query per person.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Prefetch

    roles = [r for r in roles if r not in READ_ONLY_ROLES]
    if township is not None:
        reach = (
            Q(township_id=township.pk)
            | Q(county_id=township.county_id)
            | Q(city_id=_township_city_id(township))
        )
    elif user is not None:
        reach = (
            Q(township__in=visible_townships(user))
            | Q(county__in=visible_counties(user))
            | Q(city__in=visible_cities(user).values("pk"))
        )
    else:
        reach = Q(pk__in=[])
    members = Membership.objects.filter(reach, role__in=roles)
    places = Membership.objects.filter(role__in=roles).select_related("township", "county", "city")
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=members.values("user_id"))
        .prefetch_related(Prefetch("memberships", queryset=places, to_attr="picker_memberships"))
        .order_by("last_name", "first_name", "username")
    )
