"""Who may change projects (DESIGN.md §2); which rows anyone may see is townships.scope's job."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from townships.choices import Role
from townships.models import Township
from townships.scope import has_role, people_for, user_scope

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


# Who may be a project's manager (项目负责人): the people who run projects on the ground, never read-only accounts.
MANAGER_ROLES = (Role.TOWNSHIP_STAFF, Role.COUNTY_OFFICIAL, Role.CITY_OFFICE)


def manager_choices(user, township: Township | None = None) -> QuerySet:
    """The manager picker: people of the project's township (its staff, county, city), by name."""
    return people_for(township, MANAGER_ROLES, user=user)


def manager_problem(township: Township | None, manager) -> str | None:
    """The one rule for a manager, for forms and the API: someone whose role covers the project's township."""
    if manager is None or township is None:
        return None
    if not people_for(township, MANAGER_ROLES).filter(pk=manager.pk).exists():
        return _("Choose a manager whose role covers this project's township.")
    return None
