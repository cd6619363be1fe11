"""Who may act in 考核验收 (the role lists and can_*), and the township in the caller's scope."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from townships.choices import Role
from townships.models import Township
from townships.scope import has_role, visible_townships

from ..choices import (
    Level,
)

PLAN_PROPOSERS = (Role.CITY_OFFICE, Role.COUNTY_OFFICIAL)
PLAN_CONFIRMERS = (Role.CITY_OFFICE,)
APPLICANTS = (Role.COUNTY_OFFICIAL, Role.TOWNSHIP_STAFF)
# Who schedules and scores a review at each level: the team's recorder on site files findings too,
# so these are roles that may file them.
REVIEWERS = {
    Level.COUNTY: (Role.COUNTY_OFFICIAL, Role.INSPECTOR, Role.CITY_OFFICE),
    Level.CITY: (Role.CITY_OFFICE, Role.INSPECTOR),
    Level.PROVINCE: (Role.CITY_OFFICE, Role.INSPECTOR),
}
DECIDERS = (Role.PROVINCE,)
RECOMMENDERS = (Role.CITY_OFFICE, Role.COUNTY_OFFICIAL)
SPOT_CHECKERS = (Role.PROVINCE, Role.CITY_OFFICE)


def can_propose(user, township) -> bool:
    return has_role(user, PLAN_PROPOSERS, township)


def can_confirm_plan(user, township) -> bool:
    return has_role(user, PLAN_CONFIRMERS, township)


def can_apply(user, township) -> bool:
    return has_role(user, APPLICANTS, township)


def can_review(user, township, level: str) -> bool:
    return has_role(user, REVIEWERS[level], township)


def can_review_any(user, township) -> bool:
    return any(can_review(user, township, level) for level in REVIEWERS)


def can_decide(user, township) -> bool:
    return has_role(user, DECIDERS, township)


def can_recommend(user, township) -> bool:
    return has_role(user, RECOMMENDERS, township)


def can_spot_check(user, township) -> bool:
    return has_role(user, SPOT_CHECKERS, township)


def _township_in_scope(by, township) -> Township:
    """The township row, locked; out of scope answers like a missing one."""
    try:
        return visible_townships(by).select_for_update().select_related("county").get(pk=township.pk)
    except Township.DoesNotExist:
        raise ValidationError({"township": _("Select a valid choice.")}) from None
