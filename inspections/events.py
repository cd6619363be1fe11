"""The timeline of an item: every state change writes one FindingEvent here."""

from townships.freshness import townships_changed

from .models import (
    Finding,
    FindingEvent,
)


def record_event(
    finding: Finding, *, kind: str, actor, from_status: str = "", to_status: str = "", note: str = ""
):
    # Every change of an item passes here: the township's summaries are stale from this commit on.
    townships_changed([finding.township_id])
    return FindingEvent.objects.create(
        finding=finding, kind=kind, actor=actor, from_status=from_status, to_status=to_status, note=note
    )
