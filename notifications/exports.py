"""Background exports (issue 20): the job row, its claim, its progress and the inbox notice.

Every app registers its exports in core.exports; this module runs the large ones. A job is claimed
with a conditional UPDATE, beats with each progress step, and is written again from the first row
when its worker died (the file is only published to storage once complete, so nothing half-written
is ever served).
"""

import datetime
import logging
from tempfile import TemporaryFile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.db import reads_for_export
from core.exports import get_export
from core.xlsx import write_table

from .choices import ExportStatus, NotificationKind, NotificationLevel
from .models import ExportJob
from .services.notices import notify

logger = logging.getLogger(__name__)

OPEN = (ExportStatus.PENDING, ExportStatus.RUNNING)


class ExportLost(Exception):
    """Another worker took the job over (this one was presumed dead): stop writing."""


def _lease_start(now):
    return now - datetime.timedelta(seconds=settings.EXPORT_LEASE)


def _enqueue(job_id: int) -> None:
    from .tasks import export_run_task

    transaction.on_commit(lambda: export_run_task.delay(job_id))


@transaction.atomic
def export_job_start(*, user, name: str, params: str, fmt: str, total: int) -> ExportJob:
    """Queue the export, or hand back the same one still waiting or running for this user."""
    export = get_export(name)
    same = ExportJob.objects.filter(user=user, name=name, params=params, format=fmt, status__in=OPEN)
    job = same.select_for_update().first()
    if job is not None:
        return job
    table = export.table()
    job = ExportJob.objects.create(
        user=user,
        name=name,
        title=str(table.title),
        params=params,
        format=fmt,
        total=total,
        filename=table.filename(fmt),
    )
    _enqueue(job.pk)
    return job


def export_job_starter(*, user, name: str, params: str, fmt: str, total: int) -> str:
    """core.exports' background starter: the job's page."""
    job = export_job_start(user=user, name=name, params=params, fmt=fmt, total=total)
    return reverse("notifications:export_job", args=[job.pk])


def _claim(job_id: int, node: str, now) -> bool:
    claimable = Q(status=ExportStatus.PENDING) | Q(status=ExportStatus.RUNNING, beat_at__lt=_lease_start(now))
    return bool(
        ExportJob.objects.filter(pk=job_id)
        .filter(claimable)
        .update(
            status=ExportStatus.RUNNING,
            claimed_at=now,
            claimed_by=node,
            beat_at=now,
            rows_done=0,
            attempts=F("attempts") + 1,
            error="",
        )
    )


def export_job_run(*, job_id: int, node: str = "") -> str | None:
    """Claim the job, write every row to a temporary file, publish it to storage, tell the user.

    None when there was nothing to do (done, failed, or another worker's fresh claim).
    """
    now = timezone.now()
    if not _claim(job_id, node, now):
        return None
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    mine = ExportJob.objects.filter(pk=job_id, claimed_at=now, claimed_by=node)

    def progress(done: int) -> None:
        if not mine.update(rows_done=done, beat_at=timezone.now()):
            raise ExportLost(job_id)

    try:
        export = get_export(job.name)
        with translation.override(settings.LANGUAGE_CODE), TemporaryFile() as tmp, reads_for_export():
            done = write_table(
                tmp,
                job.format,
                export.table(),
                export.rows(job.user, QueryDict(job.params)),
                progress=progress,
                every=settings.EXPORT_PROGRESS_EVERY,
            )
            tmp.seek(0)
            path = default_storage.save(
                f"exports/{job.user_id}/{job.pk}-{job.attempts}.{job.format}", File(tmp, name=job.filename)
            )
    except ExportLost:
        logger.info("export %s was taken over; this run stops", job_id)
        return None
    except Exception as exc:
        mine.update(status=ExportStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    if not mine.filter(status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE, file=path, rows_done=done, total=done, finished_at=timezone.now()
    ):
        default_storage.delete(path)
        return None
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(title)s is ready: %(rows)s rows. Download it within %(days)s days.") % {
            "title": job.title,
            "rows": done,
            "days": settings.EXPORT_KEEP_DAYS,
        }
    notify(
        recipients=[job.user_id],
        obj=job,
        level=NotificationLevel.READY,
        kind=NotificationKind.EXPORT,
        text=text,
        link=reverse("notifications:export_download", args=[job.pk]),
        email=False,
    )
    return path


def export_job_rerun(*, job_id: int, user) -> ExportJob:
    """The user's "run again" on a failed job, or one whose worker stopped beating."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id, user=user)
        stale = job.status == ExportStatus.RUNNING and (job.beat_at or job.created_at) < _lease_start(
            timezone.now()
        )
        if job.status == ExportStatus.FAILED or stale:
            job.status, job.rows_done, job.error = ExportStatus.PENDING, 0, ""
            job.save(update_fields=["status", "rows_done", "error"])
            _enqueue(job.pk)
    return job


def export_jobs_resume(*, node: str = "", ready_at=None) -> list[int]:
    """Queue again the jobs nobody is writing: waiting ones, those whose beat stopped, and, for a
    worker that has just started (`node`, `ready_at`), those its dead predecessor held."""
    now = timezone.now()
    if node and ready_at is not None:
        ExportJob.objects.filter(
            status=ExportStatus.RUNNING, claimed_by=node, claimed_at__lt=ready_at
        ).update(status=ExportStatus.PENDING)
    ExportJob.objects.filter(status=ExportStatus.RUNNING, beat_at__lt=_lease_start(now)).update(
        status=ExportStatus.PENDING
    )
    ids = list(
        ExportJob.objects.filter(
            status=ExportStatus.PENDING, created_at__gte=now - datetime.timedelta(days=1)
        ).values_list("pk", flat=True)
    )
    from .tasks import export_run_task

    for pk in ids:
        export_run_task.delay(pk)
    if ids:
        logger.warning("export jobs resumed: %s", ids)
    return ids


def export_jobs_purge(*, now=None) -> int:
    """Delete the files and rows of jobs older than EXPORT_KEEP_DAYS."""
    now = now or timezone.now()
    old = ExportJob.objects.filter(created_at__lt=now - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS))
    for path in old.exclude(file="").values_list("file", flat=True):
        default_storage.delete(path)
    return old.delete()[0]
