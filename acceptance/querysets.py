from django.db import models


class PlanEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        from townships.scope import scoped

        return scoped(self, user)

    def confirmed(self):
        return self.filter(status="confirmed")


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from townships.scope import scoped

        return scoped(self, user)

    def with_related(self):
        return self.select_related("township", "township__county", "scheme")
