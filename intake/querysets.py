from django.db import models

from townships.scope import township_filter


class GridEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events of the townships the user sees; a sending system's account sees only its own events."""
        qs = self.filter(township_filter(user, prefix="township__"))
        if user.is_authenticated and not user.is_superuser and user.intake_sources.exists():
            qs = qs.filter(source__client=user)
        return qs

    def pending(self):
        return self.filter(status="pending")
