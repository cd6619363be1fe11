"""Writes for a finding's photos: store each once, and make their derivatives after the commit (with the
stale sweep and the admin's retry)."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image

from core.storage import TRANSIENT_ERRORS, beside, put_verified, read_bytes, sha256_hex

from ..choices import (
    PhotoDerivatives,
)
from ..models import (
    Finding,
    FindingPhoto,
)
from ..photos import (
    PhotoError,
    ProcessedPhoto,
    derivative_name,
    photo_display,
    photo_encode,
    photo_thumbnail,
)


def _queue_derivatives(photo_ids: list[int]) -> None:
    from ..tasks import photo_derivatives_task

    for pk in photo_ids:
        photo_derivatives_task.delay(pk)


def _save_photos(finding: Finding, photos: Sequence[ProcessedPhoto], *, stage: str, by) -> list[FindingPhoto]:
    """Store each photo once per finding: a photo whose SHA-256 the finding holds already is that row.

    A resend (the offline outbox, a retry after a dropped connection, the same picture chosen twice)
    must not put the same evidence on the item twice. Callers hold the finding's row lock.
    """
    saved = []
    known = {p.sha256: p for p in FindingPhoto.objects.filter(finding=finding)} if finding.pk else {}
    for photo in photos:
        if photo.sha256 in known:
            if known[photo.sha256] not in saved:
                saved.append(known[photo.sha256])
            continue
        row = FindingPhoto(
            finding=finding,
            stage=stage,
            original_name=photo.name,
            content_type=photo.content_type,
            size=len(photo.original),
            sha256=photo.sha256,
            width=photo.width,
            height=photo.height,
            taken_at=photo.taken_at,
            latitude=photo.latitude,
            longitude=photo.longitude,
            uploaded_by=by,
        )
        # The store proves it holds these bytes (the SHA-256 goes with them); the copies come later.
        # The bytes travel while the rows are written; the callers' media_guard waits for them.
        photo.save_original(row.original, background=True)
        row.save()
        known[photo.sha256] = row
        saved.append(row)
    ids = [row.pk for row in saved]
    transaction.on_commit(lambda: _queue_derivatives(ids))
    return saved


def photo_derivatives_make(*, photo_id: int, final: bool = False) -> str:
    """Make a photo's display copy and thumbnail from its stored original (the photo_derivatives task).

    Idempotent: the copies are a function of the original and go to names fixed by it, so a second
    run (a redelivered task, two workers at once) rewrites the same bytes, and only the conditional
    UPDATE that finds the photo still without copies records them. A store that fails is raised for
    the task to retry; on the last attempt, and at once for an original that no longer decodes, the
    photo is marked failed with the reason (shown on the page and in the admin).
    """
    photo = FindingPhoto.objects.filter(pk=photo_id).only("original", "derivatives").first()
    if photo is None or photo.derivatives == PhotoDerivatives.READY:
        return "done"
    pending = FindingPhoto.objects.filter(pk=photo_id).exclude(derivatives=PhotoDerivatives.READY)
    try:
        image = photo_display(read_bytes(default_storage, photo.original.name))
        names = {
            "image": derivative_name(photo.original.name, "display"),
            "thumbnail": derivative_name(photo.original.name, "thumb"),
        }
        # The display copy travels to the store while the thumbnail is made and sent.
        display = photo_encode(image)
        sent = beside(
            put_verified,
            default_storage,
            names["image"],
            display,
            sha256=sha256_hex(display),
            content_type="image/jpeg",
        )
        try:
            thumb = photo_thumbnail(image)
            put_verified(
                default_storage,
                names["thumbnail"],
                thumb,
                sha256=sha256_hex(thumb),
                content_type="image/jpeg",
            )
        finally:
            failed = sent.exception()  # waits for it; an error of the thumbnail's goes first
        if failed is not None:
            raise failed
    except TRANSIENT_ERRORS as exc:
        pending.update(
            derivatives=PhotoDerivatives.FAILED if final else PhotoDerivatives.PENDING,
            derivatives_attempts=F("derivatives_attempts") + 1,
            derivatives_error=f"{type(exc).__name__}: {exc}"[:500],
        )
        raise
    except (PhotoError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        pending.update(
            derivatives=PhotoDerivatives.FAILED,
            derivatives_attempts=F("derivatives_attempts") + 1,
            derivatives_error=f"{type(exc).__name__}: {exc}"[:500],
        )
        return "failed"
    made = pending.update(
        image=names["image"],
        thumbnail=names["thumbnail"],
        derivatives=PhotoDerivatives.READY,
        derivatives_attempts=F("derivatives_attempts") + 1,
        derivatives_error="",
    )
    return "made" if made else "done"


def photo_derivatives_queue_stale(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Queue again the photos still without copies long after upload (a task lost before the broker)."""
    ids = list(
        FindingPhoto.objects.filter(
            derivatives=PhotoDerivatives.PENDING, uploaded_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)[:1000]
    )
    _queue_derivatives(ids)
    return len(ids)


def photo_derivatives_retry(*, photo_ids: Iterable[int]) -> int:
    """Put failed photos back in the queue (admin action), from a fresh count of attempts."""
    ids = list(
        FindingPhoto.objects.filter(pk__in=list(photo_ids), derivatives=PhotoDerivatives.FAILED).values_list(
            "pk", flat=True
        )
    )
    FindingPhoto.objects.filter(pk__in=ids).update(
        derivatives=PhotoDerivatives.PENDING, derivatives_attempts=0
    )
    transaction.on_commit(lambda: _queue_derivatives(ids))
    return len(ids)
