from django.db import models
from django.utils.translation import pgettext_lazy


class GridEventStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("grid event status", "Waiting for triage")
    ACCEPTED = "accepted", pgettext_lazy("grid event status", "Accepted as a finding")
    MERGED = "merged", pgettext_lazy("grid event status", "Merged into a finding")
    REJECTED = "rejected", pgettext_lazy("grid event status", "Rejected")


# Outcomes that point at a finding of the rectification list.
WITH_FINDING = (GridEventStatus.ACCEPTED, GridEventStatus.MERGED)
