from django.db import models

from townships.choices import Role
from townships.scope import roles_for, township_filter


class GridEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events of the townships the user sees; a sending system's account sees only its own events."""
        qs = self.filter(township_filter(user, prefix="township__"))
        # Only an API client can be a source system's account: other roles skip the lookup.
        if (
            user.is_authenticated
            and not user.is_superuser
            and Role.API_CLIENT in roles_for(user)
            and user.intake_sources.exists()
        ):
            qs = qs.filter(source__client=user)
        return qs

    def pending(self):
        return self.filter(status="pending")
