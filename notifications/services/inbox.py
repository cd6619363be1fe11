"""The person's own side: read marks and how their notices reach them beside the inbox."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ..choices import Delivery
from ..models import Notification, NotificationPreference


@transaction.atomic
def notification_mark_read(*, notification_id: int, user) -> Notification:
    """Mark one of the user's own notifications read (someone else's looks missing)."""
    notification = Notification.objects.select_for_update().get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (only `ids` when given); returns how many."""
    qs = Notification.objects.for_user(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_set(
    *, user, delivery: str | None = None, email_enabled: bool | None = None, mobile: str | None = None
) -> NotificationPreference:
    """Set how the user's notices reach them beside the inbox (`email_enabled` is the older switch:
    off is inbox only, on an e-mail each) and the mobile number for an @ in DingTalk groups."""
    if delivery is None and email_enabled is not None:
        delivery = Delivery.EMAIL if email_enabled else Delivery.INBOX
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    changed = []
    if delivery is not None and preference.delivery != delivery:
        preference.delivery = Delivery(delivery)
        changed.append("delivery")
    if mobile is not None and preference.mobile != mobile.strip():
        preference.mobile = mobile.strip()
        preference.full_clean(exclude=["user", "delivery"])
        changed.append("mobile")
    if changed:
        preference.save(update_fields=changed)
    return preference
