import factory
from django.contrib.contenttypes.models import ContentType

from notifications.choices import EmailStatus, NotificationKind, NotificationLevel
from notifications.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notice about a user object (any model will do: notifications is generic)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = NotificationKind.FINDING
    level = NotificationLevel.OVERDUE
    content_type = factory.LazyFunction(lambda: ContentType.objects.get(app_label="auth", model="user"))
    object_id = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"整改事项逾期 {n} 天")
    link = "/townships/"
    email_status = EmailStatus.SKIPPED
