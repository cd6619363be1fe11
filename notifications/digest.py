"""The daily digest: one mail per county official listing the county's overdue items."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townships.choices import Role
from townships.models import County

from .channels import batch_create
from .choices import ChannelStatus, NotificationKind, NotificationLevel
from .models import Channel, Digest
from .recipients import user_ids_by_county
from .services.notices import notify
from .services.texts import chinese_date


@dataclass(frozen=True)
class DigestLine:
    county_id: int
    days_overdue: int
    text: str
    link: str = ""


# A source answers, for a day and a per-county limit: ({county id: overdue count}, lines).
DigestSource = Callable[[date, int], tuple[dict[int, int], Iterable[DigestLine]]]


def digest_send(*, today: date, sources: Iterable[DigestSource]) -> int:
    """Create today's digest of each county with overdue items and notify its officials once."""
    limit = settings.NOTIFICATIONS_DIGEST_LIMIT
    counts: dict[int, int] = defaultdict(int)
    lines: dict[int, list[DigestLine]] = defaultdict(list)
    for source in sources:
        source_counts, source_lines = source(today, limit)
        for county_id, count in source_counts.items():
            counts[county_id] += count
        for line in source_lines:
            lines[line.county_id].append(line)
    counties = {c.pk: c for c in County.objects.filter(pk__in=[k for k, v in counts.items() if v])}
    officials = user_ids_by_county(role=Role.COUNTY_OFFICIAL, county_ids=counties)
    site = settings.SITE_URL.rstrip("/")
    channels = list(
        Channel.objects.filter(
            status=ChannelStatus.ACTIVE, city_id__in={c.city_id for c in counties.values()}
        ).order_by("pk")
    )
    sent = 0
    for county_id, county in sorted(counties.items()):
        shown = sorted(lines[county_id], key=lambda line: (-line.days_overdue, line.text))[:limit]
        with translation.override(settings.LANGUAGE_CODE):
            head = ngettext(
                "%(county)s, %(day)s: %(count)s overdue item.",
                "%(county)s, %(day)s: %(count)s overdue items.",
                counts[county_id],
            ) % {"county": county.name, "day": chinese_date(today), "count": counts[county_id]}
            body = [head, ""]
            for number, line in enumerate(shown, start=1):
                body.append(
                    _("%(number)s. %(text)s (%(days)s days overdue)")
                    % {"number": number, "text": line.text, "days": line.days_overdue}
                )
                if line.link:
                    body.append(f"   {site}{line.link}")
            if counts[county_id] > len(shown):
                body.append("")
                body.append(_("… and %(more)s more.") % {"more": counts[county_id] - len(shown)})
            title = _("%(county)s overdue items, %(day)s") % {
                "county": county.name,
                "day": chinese_date(today),
            }
        # One markdown digest per county for its groups (and the city's), whatever the officials.
        batch_create(
            key=f"digest:{county_id}:{today.isoformat()}",
            city_id=county.city_id,
            county_id=county_id,
            level=NotificationLevel.DIGEST,
            title=title,
            body="\n".join(body),
            channels=channels,
        )
        if not officials.get(county_id):
            continue
        with transaction.atomic():
            digest, created = Digest.objects.get_or_create(
                county=county, day=today, defaults={"item_count": counts[county_id], "body": "\n".join(body)}
            )
            sent += len(
                notify(
                    recipients=officials[county_id],
                    obj=digest,
                    level=NotificationLevel.DIGEST,
                    kind=NotificationKind.DIGEST,
                    text=digest.body,
                    link="/notifications/",
                )
            )
    return sent
