"""_set_status: the one place a township's status changes (its simple_history row and a StatusEvent)."""

from townships.models import Township

from ..models import StatusEvent


def _set_status(
    township: Township, *, to: str, kind: str, by, application=None, review=None, spot_check=None, note=""
):
    """The one place the township's status changes: the row (its history) and the event that says why."""
    township = Township.objects.select_for_update().get(pk=township.pk)
    before = township.status
    if before != to:
        township.status = to
        township._history_user = by
        township.save(update_fields=["status"])
    StatusEvent.objects.create(
        township=township,
        kind=kind,
        from_status=before,
        to_status=to,
        application=application,
        review=review,
        spot_check=spot_check,
        actor=by,
        note=note,
    )
    return township
