"""Who may change projects (DESIGN.md §2); which rows anyone may see is townships.scope's job."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from townships.choices import Role
from townships.models import Township
from townships.scope import has_role, user_scope

# Township staff maintain their township's projects, county officials their county's, the city office all.
EDITOR_ROLES = frozenset({Role.CITY_OFFICE, Role.COUNTY_OFFICIAL, Role.TOWNSHIP_STAFF})
# Agent-owner companies serve several townships; they are kept by the offices above the township.
AGENT_EDITOR_ROLES = frozenset({Role.CITY_OFFICE, Role.COUNTY_OFFICIAL})


def can_edit_township(user, township: Township) -> bool:
    return has_role(user, EDITOR_ROLES, township)


def ensure_can_edit(user, township: Township) -> None:
    """Raise PermissionDenied unless the user may maintain this township's projects."""
    if not can_edit_township(user, township):
        raise PermissionDenied(_("Your role may read this township's projects but not change them."))


def can_edit_agents(user) -> bool:
    return has_role(user, AGENT_EDITOR_ROLES)


def ensure_can_edit_agents(user) -> None:
    if not can_edit_agents(user):
        raise PermissionDenied(_("Only the city or county office maintains agent owners."))


def editable_townships(user) -> QuerySet[Township]:
    """Townships whose projects this user may create or change (a subset of the visible ones)."""
    if user.is_authenticated and user.is_superuser:
        return Township.objects.all()
    scope = user_scope(user)
    q = Q(pk__in=[])
    for role, (city_ids, county_ids, township_ids, _everything) in scope.roles.items():
        if role not in EDITOR_ROLES:
            continue
        if city_ids:
            q |= Q(county__city_id__in=sorted(city_ids))
        if county_ids:
            q |= Q(county_id__in=sorted(county_ids))
        if township_ids:
            q |= Q(pk__in=sorted(township_ids))
    return Township.objects.filter(q)


def people_in_scope(user):
    """Users who could manage a project the user sees (no directory of the whole province)."""
    scope = user_scope(user)
    User = get_user_model()
    if scope.everything or user.is_superuser:
        return User.objects.filter(is_active=True).order_by("username")
    q = Q(pk=user.pk)
    if scope.city_ids:
        q |= Q(memberships__city_id__in=scope.city_ids) | Q(memberships__county__city_id__in=scope.city_ids)
        q |= Q(memberships__township__county__city_id__in=scope.city_ids)
    if scope.county_ids:
        q |= Q(memberships__county_id__in=scope.county_ids) | Q(
            memberships__township__county_id__in=scope.county_ids
        )
    if scope.township_ids:
        q |= Q(memberships__township_id__in=scope.township_ids)
    return User.objects.filter(q, is_active=True).distinct().order_by("username")
