"""Who may do what: the roles each action needs, on top of the scope function's coverage.

Services call the guards on the locked row; pages and the API call them on the row they fetched,
before reading any input, so a role that may not act gets 403 and never a field error.
"""

from django.utils.translation import gettext as _

from core.guards import require
from townships.choices import Role
from townships.models import Township
from townships.scope import has_role

from .choices import (
    PhotoStage,
)
from .models import (
    Deduction,
    Finding,
    YellowCard,
    YellowCardProposal,
)

FILERS = (Role.CITY_OFFICE, Role.COUNTY_OFFICIAL, Role.INSPECTOR)
VERIFIERS = (Role.CITY_OFFICE, Role.COUNTY_OFFICIAL, Role.INSPECTOR)
FIXERS = (Role.TOWNSHIP_STAFF, Role.COUNTY_OFFICIAL, Role.CITY_OFFICE)
PUBLISHERS = (Role.CITY_OFFICE,)
CHASERS = (Role.CITY_OFFICE, Role.COUNTY_OFFICIAL)
# Who an item may be assigned to (责任人账号, 责任干部): the township's staff and its county's officials,
# never a read-only account (API client, province) or someone of another county.
ASSIGNEE_ROLES = (Role.TOWNSHIP_STAFF, Role.COUNTY_OFFICIAL)


# --- who may do what (the scope function decides coverage; these add the role) ---


def can_file(user, township: Township) -> bool:
    return has_role(user, FILERS, township)


def can_verify(user, finding: Finding) -> bool:
    return has_role(user, VERIFIERS, finding.township)


def can_submit_fix(user, finding: Finding) -> bool:
    return has_role(user, FIXERS, finding.township)


def can_publish(user) -> bool:
    return has_role(user, PUBLISHERS)


# Guards: the services call them on the locked row; pages and the API call them on the row they
# fetched, before reading any input, so a role that may not act gets 403 and never a field error.


def ensure_can_submit_fix(user, finding: Finding) -> None:
    require(can_submit_fix(user, finding), _("You may not submit a fix for this item."))


def ensure_can_verify(user, finding: Finding) -> None:
    """Verify or send back a fix."""
    require(
        can_verify(user, finding), _("Only inspectors, county officials and the city office verify fixes.")
    )


def can_chase(user, finding: Finding) -> bool:
    return has_role(user, CHASERS, finding.township)


def ensure_can_chase(user, finding: Finding) -> None:
    """催办: county officials and the city office press the people responsible."""
    require(can_chase(user, finding), _("Only county officials and the city office chase items (催办)."))


def ensure_can_archive(user, finding: Finding) -> None:
    require(
        can_verify(user, finding), _("Only inspectors, county officials and the city office archive items.")
    )


def ensure_can_see_archived(user) -> None:
    """The archived list (page and API) is for those who may restore what it shows."""
    require(
        has_role(user, VERIFIERS),
        _("Only inspectors, county officials and the city office restore archived items."),
    )


def ensure_can_restore(user, finding: Finding) -> None:
    """The roles that archive an item are the ones that bring it back."""
    require(
        can_verify(user, finding),
        _("Only inspectors, county officials and the city office restore archived items."),
    )


def ensure_can_add_photos(user, finding: Finding, stage: str) -> None:
    """Before photos are the filers' evidence, after photos the township's."""
    if stage == PhotoStage.BEFORE:
        require(can_file(user, finding.township), _("Only inspectors and officials add before photos."))
    else:
        require(can_submit_fix(user, finding), _("You may not add evidence to this item."))


CARD_ISSUERS = (Role.CITY_OFFICE,)
SECRETARY_FILERS = (Role.CITY_OFFICE, Role.COUNTY_OFFICIAL, Role.TOWNSHIP_STAFF)


def can_manage_cards(user, township: Township | None = None) -> bool:
    return has_role(user, CARD_ISSUERS, township)


def can_decide_deduction(user, deduction: Deduction) -> bool:
    """The city office, or the township's own staff (its secretary) — never the cadre concerned."""
    if deduction.person_id and deduction.person_id == user.pk:
        return False
    return has_role(user, (Role.CITY_OFFICE, Role.TOWNSHIP_STAFF), deduction.township)


# Guards: the services call them on the locked row; pages and the API call them on the row they
# fetched, before reading any input, so a role that may not act gets 403 and never a field error.


def ensure_can_escalate(user, card: YellowCard) -> None:
    require(can_manage_cards(user, card.township), _("Only the city office escalates yellow cards."))


def ensure_can_lift(user, card: YellowCard) -> None:
    require(can_manage_cards(user, card.township), _("Only the city office lifts yellow cards."))


def ensure_can_decide_proposal(user, proposal: YellowCardProposal) -> None:
    require(can_manage_cards(user, proposal.township), _("Only the city office decides on proposals."))


def ensure_can_decide_deduction(user, deduction: Deduction) -> None:
    require(
        can_decide_deduction(user, deduction),
        _("Only the township secretary or the city office decide on deductions, never the cadre concerned."),
    )


def ensure_can_reply(user, finding: Finding) -> None:
    require(can_submit_fix(user, finding), _("You may not reply for this item."))


# --- specialist guidance visits (专项指导) ---

GUIDANCE_RECORDERS = FILERS  # specialist groups' members and the offices that send them


def can_record_guidance(user, township: Township | None = None) -> bool:
    return has_role(user, GUIDANCE_RECORDERS, township)


def ensure_can_record_guidance(user, township: Township | None = None) -> None:
    require(
        can_record_guidance(user, township),
        _("Only inspectors, county officials and the city office record guidance visits."),
    )


def ensure_can_follow_up(user, visit) -> None:
    """Turning a follow-up item into a finding is filing it."""
    require(can_file(user, visit.township), _("You may not file findings for this township."))
