from django.db import models
from django.db.models import ExpressionWrapper, Q


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def inbox_order(self):
        """Unread first, newest first within each group."""
        unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=models.BooleanField())
        return self.order_by(unread.desc(), "-created_at", "-pk")
