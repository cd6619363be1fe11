"""Group robots as channels (issue 18): the messages (`ChannelBatch`), the delivery ledger
(`ChannelDelivery`, unique per message and channel) and the sender.

A delivery is claimed with a conditional UPDATE (pending → sending, or a sending claim whose lease
ran out), so a retry, a duplicate message or a second worker never posts it twice; a worker killed
mid-send leaves its claim, which its restart releases (`deliveries_resumable`) and anyone retakes
once the lease has run out. The 20-a-minute limit of a robot is kept in the channel's row, under its
lock: a message over the limit waits in the queue. Delivery is at least once only across the one
window between the robot's answer and the database update (as for e-mail).
"""

import datetime
import logging
import urllib.parse
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townships.choices import Role
from townships.models import City
from townships.scope import user_scope

from .choices import (
    SEVERITY_ORDER,
    ChannelKind,
    ChannelStatus,
    DeliveryStatus,
    NotificationKind,
    NotificationLevel,
)
from .crypto import decrypt, encrypt
from .models import Channel, ChannelBatch, ChannelDelivery
from .recipients import city_office_ids
from .robots import POSTS_PER_MINUTE, TransportError, message_parts, post

logger = logging.getLogger(__name__)


class ChannelRetry(Exception):
    """Try this delivery again after `countdown` seconds (rate limit, no answer, busy)."""

    def __init__(self, reason: str, countdown: float):
        super().__init__(reason)
        self.countdown = max(1.0, countdown)


def webhook_hint(url: str) -> str:
    """What pages may show of a webhook: scheme, host and path, never the token or key."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{parts.path}" + ("?…" if parts.query else "")


def channel_set_credentials(
    channel: Channel, *, webhook: str | None = None, secret: str | None = None
) -> None:
    """Encrypt what was given (None keeps the stored value; "" clears the secret)."""
    if webhook is not None:
        channel.webhook_encrypted = encrypt(webhook.strip())
        channel.webhook_hint = webhook_hint(webhook.strip())
    if secret is not None:
        channel.secret_encrypted = encrypt(secret.strip())


def channel_carries(channel: Channel, *, level: str, severity: str = "") -> bool:
    if channel.events and str(level) not in channel.events:
        return False
    if channel.min_severity and severity:
        return SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(channel.min_severity)
    return True


def channels_for(*, city_id: int, county_id: int | None) -> list[Channel]:
    """Active channels of the county and of its city (a city's group hears every county)."""
    where = Q(county__isnull=True) | Q(county_id=county_id) if county_id else Q(county__isnull=True)
    return list(Channel.objects.filter(where, city_id=city_id, status=ChannelStatus.ACTIVE).order_by("pk"))


def batch_create(
    *,
    key: str,
    city_id: int,
    county_id: int | None,
    level: str,
    title: str,
    body: str,
    severity: str = "",
    mobiles: Iterable[str] = (),
    channels: Iterable[Channel] | None = None,
) -> ChannelBatch | None:
    """The message `key` for the groups that carry it, with one delivery per channel, queued after
    commit; None when no channel carries it or it exists already (a rerun posts nothing twice).

    `channels`: the active channels already read (of any county), to spare a query per message."""
    if channels is None:
        channels = channels_for(city_id=city_id, county_id=county_id)
    else:
        channels = [c for c in channels if c.city_id == city_id and c.county_id in (None, county_id)]
    channels = [c for c in channels if channel_carries(c, level=level, severity=severity)]
    if not channels:
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                batch = ChannelBatch.objects.create(
                    key=key[:200],
                    city_id=city_id,
                    county_id=county_id,
                    level=level,
                    severity=severity or "",
                    title=title[:200],
                    body=body,
                    mobiles=sorted(set(mobiles)),
                )
        except IntegrityError:
            return None
        deliveries = ChannelDelivery.objects.bulk_create(
            ChannelDelivery(batch=batch, channel=c) for c in channels
        )
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: queue_deliveries(ids))
    return batch


def queue_deliveries(delivery_ids: Iterable[int], countdown: float | None = None) -> None:
    from .tasks import send_channel_delivery_task

    for pk in delivery_ids:
        if countdown:
            send_channel_delivery_task.apply_async((pk,), countdown=countdown)
        else:
            send_channel_delivery_task.delay(pk)


def _lease_start(now):
    return now - datetime.timedelta(seconds=settings.NOTIFICATIONS_CHANNEL_LEASE)


def _claim(delivery_id: int, node: str, now) -> bool:
    return bool(
        ChannelDelivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=DeliveryStatus.PENDING, not_before__lte=now)
            | Q(status=DeliveryStatus.SENDING, claimed_at__lt=_lease_start(now))
        )
        .update(status=DeliveryStatus.SENDING, claimed_at=now, claimed_by=node, attempts=F("attempts") + 1)
    )


def _reserve_post(channel_id: int, now) -> float:
    """Take one of the robot's 20 posts of the minute; 0 when taken, else the seconds to wait."""
    with transaction.atomic():
        channel = Channel.objects.select_for_update().only("recent_posts").get(pk=channel_id)
        window = now - datetime.timedelta(seconds=60)
        recent = [t for t in channel.recent_posts if datetime.datetime.fromisoformat(t) > window]
        if len(recent) >= POSTS_PER_MINUTE:
            oldest = min(datetime.datetime.fromisoformat(t) for t in recent)
            return (oldest + datetime.timedelta(seconds=60) - now).total_seconds()
        recent.append(now.isoformat())
        Channel.objects.filter(pk=channel_id).update(recent_posts=recent)
        return 0.0


def _backoff(attempts: int) -> float:
    base = settings.NOTIFICATIONS_CHANNEL_RETRY_BASE
    # Below Redis's visibility timeout (30 min), or a waiting retry would be delivered twice.
    return min(base * 2 ** max(0, attempts - 1), 1200)


def delivery_send(*, delivery_id: int, node: str = "", final: bool = False) -> str:
    """Claim one delivery, post its parts not posted yet, mark it sent; returns its status.

    Raises ChannelRetry (rate limit, no answer, someone else's fresh claim) for the task to try
    again later; a refused key or signature marks the channel failed and tells the city office.
    """
    now = timezone.now()
    if not _claim(delivery_id, node, now):
        row = (
            ChannelDelivery.objects.filter(pk=delivery_id)
            .values("status", "not_before", "claimed_at")
            .first()
        )
        if row is None:
            return "missing"
        if row["status"] == DeliveryStatus.SENDING:
            raise ChannelRetry("busy", settings.NOTIFICATIONS_CHANNEL_LEASE)
        if row["status"] == DeliveryStatus.PENDING:
            raise ChannelRetry("not yet", (row["not_before"] - now).total_seconds())
        return row["status"]
    mine = ChannelDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING, claimed_at=now)
    delivery = ChannelDelivery.objects.select_related("batch", "channel").get(pk=delivery_id)
    channel, batch = delivery.channel, delivery.batch
    if channel.status != ChannelStatus.ACTIVE:
        mine.update(status=DeliveryStatus.FAILED, last_error=_("The channel is not active."), claimed_at=None)
        return DeliveryStatus.FAILED
    try:
        url, secret = decrypt(channel.webhook_encrypted), decrypt(channel.secret_encrypted)
    except ValueError as exc:
        mine.update(status=DeliveryStatus.FAILED, last_error=str(exc)[:500], claimed_at=None)
        return DeliveryStatus.FAILED
    parts = message_parts(
        channel.kind, title=batch.title, body=batch.body, mobiles=batch.mobiles if channel.mention else []
    )
    sent = delivery.parts_sent
    for payload in parts[sent:]:
        wait = _reserve_post(channel.pk, timezone.now())
        if wait:
            mine.update(
                status=DeliveryStatus.PENDING,
                claimed_at=None,
                not_before=timezone.now() + datetime.timedelta(seconds=wait),
                last_error=_("Waiting for the robot's limit of 20 messages a minute."),
            )
            raise ChannelRetry("own rate limit", wait)
        try:
            answer = post(
                channel.kind,
                url=url,
                secret=secret,
                payload=payload,
                timeout=settings.NOTIFICATIONS_CHANNEL_TIMEOUT,
            )
        except TransportError as exc:
            return _retry_later(
                mine, delivery, final, _("No answer from the robot (%(error)s).") % {"error": exc}
            )
        if answer.rate_limited:
            return _retry_later(
                mine, delivery, final, _("The robot answered “too fast” (%(code)s).") % {"code": answer.code}
            )
        if answer.refused:
            _channel_failed(channel, delivery, answer)
            mine.update(
                status=DeliveryStatus.FAILED,
                claimed_at=None,
                last_error=f"{answer.code} {answer.message}"[:500],
            )
            return DeliveryStatus.FAILED
        if not answer.ok:
            mine.update(
                status=DeliveryStatus.FAILED,
                claimed_at=None,
                last_error=f"{answer.code} {answer.message}"[:500],
            )
            return DeliveryStatus.FAILED
        sent += 1
        mine.update(parts_sent=sent)
    mine.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_at=None, last_error="")
    return DeliveryStatus.SENT


def _retry_later(mine, delivery: ChannelDelivery, final: bool, error: str) -> str:
    if final or delivery.attempts >= settings.NOTIFICATIONS_CHANNEL_MAX_ATTEMPTS:
        mine.update(status=DeliveryStatus.FAILED, claimed_at=None, last_error=error[:500])
        return DeliveryStatus.FAILED
    countdown = _backoff(delivery.attempts)
    mine.update(
        status=DeliveryStatus.PENDING,
        claimed_at=None,
        not_before=timezone.now() + datetime.timedelta(seconds=countdown),
        last_error=error[:500],
    )
    raise ChannelRetry("retry", countdown)


def _channel_failed(channel: Channel, delivery: ChannelDelivery, answer) -> None:
    """Mark the channel failed once and tell its city office; the delivery that found it is the
    notice's object, so one failure is one notice per person whatever the retries."""
    from .services.notices import notify

    with transaction.atomic():
        changed = Channel.objects.filter(pk=channel.pk, status=ChannelStatus.ACTIVE).update(
            status=ChannelStatus.FAILED,
            failed_at=timezone.now(),
            status_note=f"{answer.code} {answer.message}"[:300],
        )
        if not changed:
            return
        with translation.override(settings.LANGUAGE_CODE):
            text = _(
                "The group robot “%(name)s” (%(kind)s) refused our messages: %(code)s %(message)s. "
                "Check its webhook address and signing secret, then set it active again."
            ) % {
                "name": channel.name,
                "kind": ChannelKind(channel.kind).label,
                "code": answer.code,
                "message": answer.message,
            }
        notify(
            recipients=city_office_ids(city_id=channel.city_id),
            obj=delivery,
            level=NotificationLevel.CHANNEL_FAILED,
            kind=NotificationKind.CHANNEL,
            text=text,
            link=reverse("notifications:channel_update", args=[channel.pk]),
        )
    logger.warning("group channel %s failed: robot answered %s", channel.pk, answer.code)


def deliveries_resumable(*, node: str = "", ready_at=None) -> list[int]:
    """Deliveries to queue again: a restarted worker's own dead claims (released first), claims
    whose lease ran out, and pending ones due (their message may have been lost)."""
    now = timezone.now()
    if node and ready_at is not None:
        ChannelDelivery.objects.filter(
            status=DeliveryStatus.SENDING, claimed_by=node, claimed_at__lt=ready_at
        ).update(status=DeliveryStatus.PENDING, claimed_at=None)
    stale = Q(status=DeliveryStatus.SENDING, claimed_at__lt=_lease_start(now))
    due = Q(status=DeliveryStatus.PENDING, not_before__lte=now)
    if not node:
        # The periodic sweep leaves alone what has just been queued.
        due &= Q(not_before__lte=_lease_start(now))
    return list(
        ChannelDelivery.objects.filter(stale | due).order_by("pk").values_list("pk", flat=True)[:10000]
    )


def deliveries_resume(*, node: str = "", ready_at=None) -> int:
    ids = deliveries_resumable(node=node, ready_at=ready_at)
    if ids:
        queue_deliveries(ids)
        logger.warning("group deliveries resumed: %s", len(ids))
    return len(ids)


# --- the city office's settings page ---


def office_city_ids(user) -> set[int]:
    """The cities whose channels the user manages: those of their city-office memberships."""
    if not user.is_authenticated:
        return set()
    entry = user_scope(user).roles.get(Role.CITY_OFFICE)
    if user.is_superuser:
        return set(City.objects.values_list("pk", flat=True))
    return set(entry[0]) if entry else set()


def ensure_can_manage_channels(user) -> None:
    if not office_city_ids(user):
        raise PermissionDenied(_("Only the city office configures group robots."))


def channels_visible_to(user):
    return Channel.objects.filter(city_id__in=sorted(office_city_ids(user)))


@transaction.atomic
def channel_save(
    *,
    by,
    channel_id: int | None = None,
    name: str,
    kind: str,
    county=None,
    events: Iterable[str] = (),
    min_severity: str = "",
    mention: bool = True,
    status: str = ChannelStatus.ACTIVE,
    webhook: str | None = None,
    secret: str | None = None,
) -> Channel:
    """Create or change a channel of the city office's city; credentials given are encrypted, None
    keeps the stored ones. Setting a failed channel active again starts it afresh."""
    ensure_can_manage_channels(by)
    cities = office_city_ids(by)
    if channel_id is None:
        if county is not None:
            city_id = county.city_id
        elif len(cities) == 1:
            city_id = next(iter(cities))
        else:
            raise ValidationError({"county": _("Choose the county (or the city) of the group.")})
        channel = Channel(city_id=city_id)
        if not webhook:
            raise ValidationError(
                {"webhook": _("Paste the robot's whole webhook address, starting with https://.")}
            )
    else:
        channel = Channel.objects.select_for_update().get(pk=channel_id, city_id__in=sorted(cities))
    if channel.city_id not in cities or (county is not None and county.city_id != channel.city_id):
        raise ValidationError({"county": _("Choose a county of your city.")})
    if status not in (ChannelStatus.ACTIVE, ChannelStatus.PAUSED):
        raise ValidationError({"status": _("Set the channel active or paused.")})
    if channel.status == ChannelStatus.FAILED and status == ChannelStatus.ACTIVE:
        channel.failed_at, channel.status_note = None, ""
    channel.name, channel.kind, channel.county = name.strip(), kind, county
    channel.events = sorted({str(e) for e in events})
    channel.min_severity, channel.mention, channel.status = min_severity or "", bool(mention), status
    channel_set_credentials(channel, webhook=webhook or None, secret=secret)
    channel.full_clean(exclude=["city", "county", "webhook_encrypted"])
    channel.save()
    return channel
