"""Workflow notices (issue 18): one call per event, from the app that owns the event (inspections'
events.py, acceptance's events.py), after its transaction commits.

The inbox notice goes through the same exactly-once machinery as the overdue ladder: `notify` is
unique per (object, level, recipient), and the object is the event row itself, so one event gives
each person one notice however often the hook runs. The same call builds the groups' message
(`channels.batch_create`, unique per key), so a rerun posts nothing twice either.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from .channels import batch_create
from .recipients import mobiles
from .services.notices import notify


def event_notify(
    *,
    obj: Model,
    level: str,
    kind: str,
    recipients: Iterable,
    text: str,
    link: str = "",
    city_id: int | None = None,
    county_id: int | None = None,
    severity: str = "",
    title: str = "",
    email: bool = True,
) -> list[int]:
    """Notify `recipients` (users or ids, the actor already left out by the caller) of one event,
    and post it to the county's and city's groups that carry `level` (and `severity`).

    `text` is the whole notice: the item itself, what happened, what to do; the groups get it with
    the absolute link, since an intranet link may not open on a phone. Returns the new notice ids.
    """
    ids = sorted({getattr(r, "pk", r) for r in recipients})
    created = notify(recipients=ids, obj=obj, level=level, kind=kind, text=text, link=link, email=email)
    if city_id is not None:
        content_type = ContentType.objects.get_for_model(obj)
        body = text
        if link:
            body += f"\n\n{settings.SITE_URL.rstrip('/')}{link}"
        batch_create(
            key=f"event:{content_type.pk}:{obj.pk}:{level}",
            city_id=city_id,
            county_id=county_id,
            level=level,
            severity=severity,
            title=title or text.splitlines()[0][:60],
            body=body,
            mobiles=mobiles(user_ids=ids),
        )
    return created
