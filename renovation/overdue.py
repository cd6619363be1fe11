"""The nightly overdue job: every app's ladder scan, then the county digests (issue 7).

It lives here because it spans apps (DESIGN.md §3, layer 4); each app owns its own scan.
"""

import datetime
import logging

from django.conf import settings
from django.utils import translation
from django.utils.timezone import localdate

from inspections.overdue import finding_digest, scan_overdue_findings
from notifications.digest import digest_send
from notifications.services import notifications_requeue
from projects.overdue import project_digest, scan_overdue_projects

logger = logging.getLogger(__name__)


def scan_overdue(*, today: datetime.date | None = None, chunk_size: int | None = None) -> dict:
    """Run every overdue scan and the daily digests; safe to rerun and to run twice at once."""
    today = today or localdate()
    with translation.override(settings.LANGUAGE_CODE):
        result = {
            "findings": scan_overdue_findings(today=today, chunk_size=chunk_size),
            **scan_overdue_projects(today=today, chunk_size=chunk_size),
        }
        result["digests"] = (
            digest_send(today=today, sources=[finding_digest, project_digest])
            if settings.NOTIFICATIONS_DIGEST_ENABLED
            else 0
        )
        # Sends whose publish was lost after commit, or whose worker died, go out now.
        result["requeued"] = notifications_requeue()
    logger.info("scan_overdue %s: %s", today, result)
    return result
