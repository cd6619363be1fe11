from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationLevel(models.TextChoices):
    """The rungs of the overdue ladder (催办 → 督办), plus the county digest."""

    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue reminder")
    COUNTY = "county", _("County supervision")
    CITY = "city", _("City supervision")
    DIGEST = "digest", _("Daily digest")
    READY = "ready", _("Ready")


class NotificationKind(models.TextChoices):
    """What the notice is about; labels only, notifications never imports the apps that use them."""

    FINDING = "finding", _("Rectification item")
    SECRETARY = "secretary", _("Secretary-assigned point")
    MILESTONE = "milestone", _("Project milestone")
    APPROVAL = "approval", _("Approval deadline")
    DIGEST = "digest", _("Daily digest")
    EXPORT = "export", _("Export")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not e-mailed")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    CSV = "csv", "CSV (.csv)"
