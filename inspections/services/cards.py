"""Writes for yellow cards and the proposals the nightly rule makes."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Left
from django.forms import ModelChoiceField
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guards import require, required_text
from notifications.expressions import DaysApart, fill
from townships.freshness import townships_changed
from townships.models import Township

from ..choices import (
    EXPOSURE_LEVELS,
    LEVEL_ORDER,
    FindingStatus,
    ProposalKind,
    ProposalReason,
    ProposalStatus,
    YellowCardEventKind,
    YellowCardStatus,
)
from ..errors import WorkflowError
from ..events import card_event_on_commit
from ..models import (
    Finding,
    YellowCard,
    YellowCardEvent,
    YellowCardProposal,
)
from ..permissions import (
    can_manage_cards,
    ensure_can_decide_proposal,
    ensure_can_escalate,
    ensure_can_lift,
)
from .secretary import deductions_propose


def _active_card_message(township) -> str:
    return _("%(township)s already holds an active yellow card; escalate it or lift it first.") % {
        "township": township
    }


def _next_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


# --- yellow cards ---


@transaction.atomic
def yellow_card_issue(*, by, township: Township, reason: str, findings: Iterable[Finding] = ()) -> YellowCard:
    """Issue a yellow card (warning level) to a township, linked to the items that caused it."""
    require(can_manage_cards(by, township), _("Only the city office issues yellow cards."))
    reason = required_text(reason, field="reason", message=_("Give the reason for the yellow card."))
    # Lock the township row so two offices issuing at once cannot both pass the check.
    Township.objects.select_for_update().get(pk=township.pk)
    if YellowCard.objects.active().filter(township=township).exists():
        raise WorkflowError(_active_card_message(township))
    findings = list(findings)
    if any(f.township_id != township.pk for f in findings):
        raise ValidationError({"findings": _("Linked items must belong to the township.")})
    if (
        len({f.pk for f in findings})
        != Finding.objects.visible_to(by).filter(pk__in=[f.pk for f in findings]).count()
    ):
        # a draft inspection's item, which exists only for its filer
        raise ValidationError({"findings": ModelChoiceField.default_error_messages["invalid_choice"]})
    try:
        with transaction.atomic():
            card = YellowCard.objects.create(township=township, reason=reason, issued_by=by)
    except IntegrityError as exc:  # the unique constraint, should a concurrent issue slip past the lock
        raise WorkflowError(_active_card_message(township)) from exc
    card.findings.set(findings)
    townships_changed([card.township_id])
    card_event_on_commit(
        YellowCardEvent.objects.create(
            card=card, kind=YellowCardEventKind.ISSUED, actor=by, to_level=card.level, reason=card.reason
        )
    )
    return card


@transaction.atomic
def yellow_card_escalate(
    *,
    card_id: int,
    by,
    reason: str,
    outlet: str = "",
    exposure_date: datetime.date | None = None,
    link: str = "",
    findings: Iterable[Finding] = (),
) -> YellowCard:
    """Raise an active card one level; media and questioning record the outlet, date and link."""
    card = YellowCard.objects.select_for_update().select_related("township").get(pk=card_id)
    ensure_can_escalate(by, card)
    if card.status != YellowCardStatus.ACTIVE:
        raise WorkflowError(_("A lifted card cannot be escalated."))
    target = _next_level(card.level)
    if target is None:
        raise WorkflowError(_("The card is already at the highest level (televised questioning)."))
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for escalating.")
    if target in EXPOSURE_LEVELS:
        if not (outlet or "").strip():
            errors["outlet"] = _("Name the media outlet or TV programme.")
        if exposure_date is None:
            errors["exposure_date"] = _("Give the date of the exposure or programme.")
    if errors:
        raise ValidationError(errors)
    previous = card.level
    card.level = target
    card.escalated_at = timezone.now()
    if target in EXPOSURE_LEVELS:
        card.outlet, card.exposure_date, card.link = outlet.strip(), exposure_date, (link or "").strip()
    card.full_clean(exclude=["township", "issued_by", "lifted_by", "findings"])
    card.save(update_fields=["level", "escalated_at", "outlet", "exposure_date", "link"])
    extra = [f for f in findings if f.township_id == card.township_id]
    if extra:
        card.findings.add(*extra)
    townships_changed([card.township_id])
    event = YellowCardEvent.objects.create(
        card=card,
        kind=YellowCardEventKind.ESCALATED,
        actor=by,
        from_level=previous,
        to_level=target,
        reason=reason.strip(),
        outlet=card.outlet if target in EXPOSURE_LEVELS else "",
        exposure_date=card.exposure_date if target in EXPOSURE_LEVELS else None,
        link=card.link if target in EXPOSURE_LEVELS else "",
    )
    card_event_on_commit(event)
    return card


@transaction.atomic
def yellow_card_lift(*, card_id: int, by, note: str = "") -> YellowCard:
    """Lift a card; refused while any linked item is not closed."""
    card = YellowCard.objects.select_for_update().select_related("township").get(pk=card_id)
    ensure_can_lift(by, card)
    if card.status != YellowCardStatus.ACTIVE:
        raise WorkflowError(_("This card is already lifted."))
    still_open = card.findings.exclude(status=FindingStatus.CLOSED).count()
    if still_open:
        raise WorkflowError(
            _("The card cannot be lifted: %(count)d linked item(s) are not closed yet.")
            % {"count": still_open}
        )
    card.status, card.lifted_by, card.lifted_at, card.lift_note = (
        YellowCardStatus.LIFTED,
        by,
        timezone.now(),
        (note or "").strip(),
    )
    card.save(update_fields=["status", "lifted_by", "lifted_at", "lift_note"])
    townships_changed([card.township_id])
    card_event_on_commit(
        YellowCardEvent.objects.create(
            card=card, kind=YellowCardEventKind.LIFTED, actor=by, from_level=card.level, reason=card.lift_note
        )
    )
    return card


# --- the proposal rule ---


@dataclass
class RuleResult:
    proposals: int = 0
    deductions: int = 0


def _detail(reason: str, *, count: int = 0, finding: Finding | None = None, days: int = 0) -> str:
    if reason == ProposalReason.OVERDUE_COUNT:
        return _("%(count)d items are past their deadline.") % {"count": count}
    if reason == ProposalReason.LONG_OVERDUE:
        return _("“%(item)s” is still open %(days)d days after its deadline.") % {
            "item": finding.description[:60],
            "days": days,
        }
    return _("A revisit found the same problem again: “%(item)s”.") % {"item": finding.description[:60]}


_ITEM, _DAYS = "\x00item\x00", 987654321  # placeholders of the detail rendered once


def _propose_long_overdue(findings, *, today: datetime.date, waiting: Iterable[int]) -> None:
    """LONG_OVERDUE proposals for `findings` in one INSERT … SELECT: the rows, key and detail that
    propose() would build one by one, written by the database (tens of thousands at province
    scale). Townships in `waiting` get none (their card is at the top or was changed lately)."""
    reason = ProposalReason.LONG_OVERDUE
    detail = _detail(reason, finding=Finding(description=_ITEM), days=_DAYS)
    items = (
        findings.exclude(township_id__in=list(waiting))
        .annotate(
            p_id=F("pk"),
            p_township=F("township_id"),
            p_detail=fill(
                detail, {_ITEM: Left("description", 60), str(_DAYS): DaysApart("deadline", Value(today))}
            ),
        )
        .order_by()
        .values("p_id", "p_township", "p_detail")
    )
    sql, params = items.query.sql_with_params()
    table, cards = YellowCardProposal._meta.db_table, YellowCard._meta.db_table
    now = YellowCardProposal._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    with connection.cursor() as cursor:
        # A township holds at most one active card (yellowcard_one_active_per_township).
        cursor.execute(
            f"""INSERT INTO {table} (township_id, kind, finding_id, card_id, card_level, key, detail,
                                     reason, overdue_count, status, decision_note, created_at)
            SELECT r.p_township, CASE WHEN c.id IS NULL THEN %s ELSE %s END, r.p_id, c.id, COALESCE(c.level, ''),
                   %s || CAST(r.p_id AS varchar) || ':' || COALESCE(CAST(c.id AS varchar), 'new') || ':'
                      || COALESCE(c.level, ''),
                   r.p_detail, %s, 0, %s, '', %s
            FROM ({sql}) AS r LEFT JOIN {cards} c ON c.township_id = r.p_township AND c.status = %s
            WHERE true
            ON CONFLICT DO NOTHING""",  # noqa: S608 (the tables are ours; every value is a parameter)
            [
                str(ProposalKind.ISSUE),
                str(ProposalKind.ESCALATE),
                f"{reason}:",
                str(reason),
                str(ProposalStatus.PROPOSED),
                now,
                *params,
                str(YellowCardStatus.ACTIVE),
            ],
        )


@transaction.atomic
def yellow_card_proposals_generate(*, today: datetime.date) -> RuleResult:
    """Run the escalation rules for every township: card proposals and secretary-item deductions.

    Set-based and idempotent: a proposal is unique per township + trigger + item + card state, a
    deduction per item, so a rerun inserts nothing new.
    """
    threshold = settings.YELLOW_CARD_OVERDUE_COUNT
    long_days = settings.YELLOW_CARD_LONG_OVERDUE_DAYS
    settle = datetime.timedelta(days=settings.YELLOW_CARD_ESCALATE_AFTER_DAYS)
    active = {
        card.township_id: card
        for card in YellowCard.objects.active().only(
            "pk", "township_id", "level", "issued_at", "escalated_at"
        )
    }
    overdue = Finding.objects.overdue(today)
    rows: list[YellowCardProposal] = []

    def waits(card) -> bool:
        # At the top of the ladder, or not yet given time to work.
        last_change = timezone.localdate(card.escalated_at or card.issued_at)
        return _next_level(card.level) is None or today - last_change < settle

    def propose(township_id: int, reason: str, *, finding=None, count: int = 0, days: int = 0) -> None:
        card = active.get(township_id)
        if card is not None and waits(card):
            return
        rows.append(
            YellowCardProposal(
                township_id=township_id,
                kind=ProposalKind.ESCALATE if card else ProposalKind.ISSUE,
                reason=reason,
                finding=finding,
                card=card,
                card_level=card.level if card else "",
                key=f"{reason}:{finding.pk if finding else '-'}:{card.pk if card else 'new'}:{card.level if card else ''}",
                detail=_detail(reason, count=count, finding=finding, days=days),
                overdue_count=count,
            )
        )

    counts = (
        overdue.order_by()
        .values("township")
        .annotate(n=Count("pk"))
        .filter(n__gte=threshold)
        .values_list("township", "n")
    )
    for township_id, n in counts:
        propose(township_id, ProposalReason.OVERDUE_COUNT, count=n)
    for finding in (
        Finding.objects.open().filter(repeat_of__isnull=False).only("pk", "township_id", "description")
    ):
        propose(finding.township_id, ProposalReason.REPEAT, finding=finding)

    before = YellowCardProposal.objects.count()
    YellowCardProposal.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    _propose_long_overdue(
        overdue.filter(deadline__lte=today - datetime.timedelta(days=long_days)),
        today=today,
        waiting=[township_id for township_id, card in active.items() if waits(card)],
    )
    result = RuleResult(proposals=YellowCardProposal.objects.count() - before)
    result.deductions = deductions_propose(today=today)
    return result


def _superseded(proposal: YellowCardProposal, by, note: str) -> None:
    pending = YellowCardProposal.objects.filter(
        township_id=proposal.township_id, status=ProposalStatus.PROPOSED
    )
    pending.exclude(pk=proposal.pk).update(
        status=ProposalStatus.DISMISSED, decided_by=by, decided_at=timezone.now(), decision_note=note
    )


@transaction.atomic
def yellow_card_proposal_accept(
    *,
    proposal_id: int,
    by,
    reason: str = "",
    outlet: str = "",
    exposure_date: datetime.date | None = None,
    link: str = "",
) -> YellowCard:
    """Accept a proposal: issue the card, or escalate the township's card one level."""
    proposal = (
        YellowCardProposal.objects.select_for_update(of=("self",))
        .select_related("township", "finding")
        .get(pk=proposal_id)
    )
    ensure_can_decide_proposal(by, proposal)
    if proposal.status != ProposalStatus.PROPOSED:
        raise WorkflowError(_("This proposal has already been decided."))
    reason = (reason or "").strip() or proposal.detail
    if proposal.finding_id:
        linked = [proposal.finding]
    else:
        linked = list(Finding.objects.overdue(timezone.localdate()).filter(township=proposal.township))
    if proposal.kind == ProposalKind.ISSUE:
        card = yellow_card_issue(by=by, township=proposal.township, reason=reason, findings=linked)
    else:
        card = YellowCard.objects.get(pk=proposal.card_id)
        if card.status != YellowCardStatus.ACTIVE or card.level != proposal.card_level:
            raise WorkflowError(_("The card has changed since this proposal was made; dismiss it."))
        card = yellow_card_escalate(
            card_id=card.pk,
            by=by,
            reason=reason,
            outlet=outlet,
            exposure_date=exposure_date,
            link=link,
            findings=linked,
        )
    proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.ACCEPTED, by, timezone.now()
    proposal.decision_note, proposal.resulting_card = reason, card
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "resulting_card"])
    _superseded(proposal, by, _("Superseded by an accepted proposal."))
    return card


@transaction.atomic
def yellow_card_proposal_dismiss(*, proposal_id: int, by, reason: str) -> YellowCardProposal:
    """Dismiss a proposal with the reason; the rule will not propose the same thing again."""
    proposal = YellowCardProposal.objects.select_for_update().select_related("township").get(pk=proposal_id)
    ensure_can_decide_proposal(by, proposal)
    if proposal.status != ProposalStatus.PROPOSED:
        raise WorkflowError(_("This proposal has already been decided."))
    reason = required_text(reason, field="reason", message=_("Give the reason for dismissing."))
    proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.DISMISSED, by, timezone.now()
    proposal.decision_note = reason
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return proposal
