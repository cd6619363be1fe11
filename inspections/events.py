"""The timeline of an item, and the notices its events send (issue 18).

Every state change writes one FindingEvent here (`record_event`); after the transaction commits,
the events that concern someone become notices through notifications.events.event_notify, whose
object is the event row itself: one event, one notice per person, however often a hook runs.
Yellow-card events and deductions have their hooks here too, called by the card and secretary
services. The actor is never told of their own act. The hooks are robust on-commit callbacks: a
failure is logged and never turns a committed change into an error page.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from notifications.choices import NotificationKind, NotificationLevel
from notifications.events import event_notify
from notifications.recipients import role_holder_ids
from townships.choices import Role
from townships.freshness import townships_changed

from .choices import FindingEventKind, FindingSource, InspectionStatus, YellowCardEventKind, YellowCardLevel
from .models import Deduction, Finding, FindingEvent, YellowCardEvent

# The events of an item that tell someone, and at which notice level.
FINDING_LEVELS = {
    FindingEventKind.CREATED: NotificationLevel.ASSIGNED,
    FindingEventKind.SUBMITTED: NotificationLevel.FIX_SUBMITTED,
    FindingEventKind.REJECTED: NotificationLevel.SENT_BACK,
    FindingEventKind.VERIFIED: NotificationLevel.CLOSED,
    FindingEventKind.CHASED: NotificationLevel.CHASED,
}
CARD_LEVELS = {
    YellowCardEventKind.ISSUED: NotificationLevel.CARD_ISSUED,
    YellowCardEventKind.ESCALATED: NotificationLevel.CARD_ESCALATED,
    YellowCardEventKind.LIFTED: NotificationLevel.CARD_LIFTED,
}


def record_event(
    finding: Finding, *, kind: str, actor, from_status: str = "", to_status: str = "", note: str = ""
):
    # Every change of an item passes here: the township's summaries are stale from this commit on.
    townships_changed([finding.township_id])
    event = FindingEvent.objects.create(
        finding=finding, kind=kind, actor=actor, from_status=from_status, to_status=to_status, note=note
    )
    if kind in FINDING_LEVELS:
        transaction.on_commit(lambda: finding_event_notify(event_id=event.pk), robust=True)
    return event


def findings_assigned_on_commit(finding_ids) -> None:
    """An inspection's items reach the rectification list when it is submitted: tell them then."""
    ids = list(
        FindingEvent.objects.filter(
            finding_id__in=list(finding_ids), kind=FindingEventKind.CREATED
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: [finding_event_notify(event_id=pk) for pk in ids], robust=True)


def _township_notify(township, *, level: str, **notice) -> list[int]:
    """Notify of one township's business; its county's and city's groups get the notice too, titled
    with the level and the township in the site's language, like the text."""
    with translation.override(settings.LANGUAGE_CODE):
        title = f"{NotificationLevel(level).label}｜{township.name}"
    return event_notify(
        level=level, city_id=township.county.city_id, county_id=township.county_id, title=title, **notice
    )


def _day(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _subject(finding: Finding) -> str:
    return f"{finding.township.name}：{' '.join(finding.description.split())[:200]}"


def _responsible(finding: Finding) -> set[int]:
    """The person responsible and the township's staff."""
    people = role_holder_ids(roles=[Role.TOWNSHIP_STAFF], township=finding.township)
    if finding.assignee_id:
        people.add(finding.assignee_id)
    return people


def _verifiers(finding: Finding) -> set[int]:
    """Who reviews a fix: the filer, and the county officials and inspectors over the township."""
    people = role_holder_ids(roles=[Role.COUNTY_OFFICIAL, Role.INSPECTOR], township=finding.township)
    if finding.created_by_id:
        people.add(finding.created_by_id)
    return people


def _finding_text(event: FindingEvent, finding: Finding) -> str:
    subject, deadline = _subject(finding), _day(finding.deadline)
    actor = (event.actor.get_full_name() or event.actor.get_username()) if event.actor_id else ""
    note = event.note.strip()
    if event.kind == FindingEventKind.CREATED:
        if finding.source == FindingSource.SECRETARY:
            text = _(
                "Secretary-assigned point from %(leader)s: %(subject)s. Promised date %(deadline)s; "
                "carry it out and send the written reply."
            ) % {"leader": finding.assigning_leader, "subject": subject, "deadline": deadline}
        else:
            text = _(
                "New item on the rectification list: %(subject)s. Deadline %(deadline)s; fix it and "
                "submit the evidence (after photos) for review."
            ) % {"subject": subject, "deadline": deadline}
        if finding.responsible_label:
            text += "\n" + _("Person responsible: %(person)s") % {"person": finding.responsible_label}
        return text
    if event.kind == FindingEventKind.SUBMITTED:
        text = _("A fix awaits your review: %(subject)s. Verify it or send it back.") % {"subject": subject}
        return text + ("\n" + _("What was done: %(note)s") % {"note": note} if note else "")
    if event.kind == FindingEventKind.REJECTED:
        return _(
            "The fix was sent back by %(actor)s: %(subject)s.\nReason: %(reason)s\nFix it again and "
            "resubmit (deadline %(deadline)s)."
        ) % {"actor": actor, "subject": subject, "reason": note, "deadline": deadline}
    if event.kind == FindingEventKind.VERIFIED:
        text = _("Verified and closed (销号) by %(actor)s: %(subject)s.") % {
            "actor": actor,
            "subject": subject,
        }
        return text + ("\n" + _("Note: %(note)s") % {"note": note} if note else "")
    # CHASED
    days = finding.days_overdue
    text = _("催办 from %(actor)s: %(subject)s. Deadline %(deadline)s.") % {
        "actor": actor,
        "subject": subject,
        "deadline": deadline,
    }
    if days:
        text += " " + _("%(days)s days overdue.") % {"days": days}
    text += "\n" + _("Report your progress on the item now.")
    return text + ("\n" + _("Note: %(note)s") % {"note": note} if note else "")


def finding_event_notify(*, event_id: int) -> list[int]:
    """The notices of one item event (after commit); an item still in a draft inspection tells nobody."""
    event = (
        FindingEvent.objects.select_related(
            "actor",
            "finding",
            "finding__township",
            "finding__township__county",
            "finding__assignee",
            "finding__inspection",
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.kind not in FINDING_LEVELS:
        return []
    finding = event.finding
    if event.kind == FindingEventKind.CREATED and (
        finding.archived or (finding.inspection_id and finding.inspection.status == InspectionStatus.DRAFT)
    ):
        return []
    recipients = _verifiers(finding) if event.kind == FindingEventKind.SUBMITTED else _responsible(finding)
    recipients.discard(event.actor_id)
    with translation.override(settings.LANGUAGE_CODE):
        text = _finding_text(event, finding)
    return _township_notify(
        finding.township,
        obj=event,
        level=FINDING_LEVELS[event.kind],
        kind=NotificationKind.SECRETARY
        if finding.source == FindingSource.SECRETARY
        else NotificationKind.FINDING,
        recipients=recipients,
        text=text,
        link=finding.get_absolute_url(),
        severity=finding.severity,
    )


# --- yellow cards ---


def card_event_on_commit(event: YellowCardEvent) -> None:
    transaction.on_commit(lambda: card_event_notify(event_id=event.pk), robust=True)


def card_event_notify(*, event_id: int) -> list[int]:
    """A card issued, escalated or lifted: the township's staff and the county's officials."""
    event = (
        YellowCardEvent.objects.select_related("card", "card__township", "card__township__county")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.kind not in CARD_LEVELS:
        return []
    card, township = event.card, event.card.township
    recipients = role_holder_ids(roles=[Role.TOWNSHIP_STAFF, Role.COUNTY_OFFICIAL], township=township)
    recipients.discard(event.actor_id)
    with translation.override(settings.LANGUAGE_CODE):
        open_items = card.findings.exclude(status="closed").count()
        if event.kind == YellowCardEventKind.ISSUED:
            text = _(
                "Yellow card issued to %(township)s: %(reason)s\n%(count)s linked item(s) are open; the card "
                "is lifted once every one is closed."
            ) % {"township": township.name, "reason": event.reason, "count": open_items}
        elif event.kind == YellowCardEventKind.ESCALATED:
            text = _("The yellow card of %(township)s was escalated to %(level)s: %(reason)s") % {
                "township": township.name,
                "level": YellowCardLevel(event.to_level).label,
                "reason": event.reason,
            }
            if event.outlet:
                text += "\n" + _("Outlet: %(outlet)s, %(date)s") % {
                    "outlet": event.outlet,
                    "date": _day(event.exposure_date),
                }
        else:
            text = _("The yellow card of %(township)s was lifted.") % {"township": township.name}
            if event.reason:
                text += "\n" + _("Note: %(note)s") % {"note": event.reason}
    return _township_notify(
        township,
        obj=event,
        level=CARD_LEVELS[event.kind],
        kind=NotificationKind.YELLOW_CARD,
        recipients=recipients,
        text=text,
        link=card.get_absolute_url(),
    )


# --- deductions ---

DEDUCTION_LEVELS = {
    "proposed": NotificationLevel.DEDUCTION_PROPOSED,
    "confirmed": NotificationLevel.DEDUCTION_CONFIRMED,
    "waived": NotificationLevel.DEDUCTION_WAIVED,
}


def deductions_on_commit(deduction_ids, *, actor_id: int | None = None) -> None:
    ids = list(deduction_ids)
    transaction.on_commit(
        lambda: [deduction_notify(deduction_id=pk, actor_id=actor_id) for pk in ids], robust=True
    )


def deduction_notify(*, deduction_id: int, actor_id: int | None = None) -> list[int]:
    """A deduction proposed (the cadre and the township's staff, whose secretary decides) or decided
    (the cadre and the township's staff)."""
    deduction = (
        Deduction.objects.select_related("finding", "township", "township__county")
        .filter(pk=deduction_id)
        .first()
    )
    if deduction is None:
        return []
    township = deduction.township
    recipients = role_holder_ids(roles=[Role.TOWNSHIP_STAFF], township=township)
    if deduction.person_id:
        recipients.add(deduction.person_id)
    recipients.discard(actor_id)
    values = {
        "person": deduction.person_name or "—",
        "value": deduction.value_label,
        "item": _subject(deduction.finding),
        "days": deduction.days_overdue,
        "note": deduction.decision_note,
    }
    with translation.override(settings.LANGUAGE_CODE):
        if deduction.status == "proposed":
            text = (
                _(
                    "A performance-pay deduction of %(value)s is proposed for %(person)s: the assigned item "
                    "“%(item)s” is %(days)s days past its promised date. The township secretary or the city "
                    "office confirms or waives it."
                )
                % values
            )
        elif deduction.status == "confirmed":
            text = _("The deduction of %(value)s for %(person)s was confirmed (item “%(item)s”).") % values
        else:
            text = (
                _("The deduction of %(value)s for %(person)s was waived (item “%(item)s”): %(note)s") % values
            )
    return _township_notify(
        township,
        obj=deduction,
        level=DEDUCTION_LEVELS[deduction.status],
        kind=NotificationKind.DEDUCTION,
        recipients=recipients,
        text=text,
        link=deduction.finding.get_absolute_url(),
    )
