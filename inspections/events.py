"""The timeline of an item: every state change writes one FindingEvent here."""

from .models import (
    Finding,
    FindingEvent,
)


def record_event(
    finding: Finding, *, kind: str, actor, from_status: str = "", to_status: str = "", note: str = ""
):
    return FindingEvent.objects.create(
        finding=finding, kind=kind, actor=actor, from_status=from_status, to_status=to_status, note=note
    )
