from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationLevel(models.TextChoices):
    """The rungs of the overdue ladder (催办 → 督办), the county digest, and the workflow events
    (issue 18). For an event the notice's object is the event row itself (a FindingEvent, a
    YellowCardEvent, a Deduction), so "once per object, level and recipient" is once per event."""

    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue reminder")
    COUNTY = "county", _("County supervision")
    CITY = "city", _("City supervision")
    DIGEST = "digest", _("Daily digest")
    # --- workflow events ---
    ASSIGNED = "assigned", _("Item assigned")
    FIX_SUBMITTED = "fix_submitted", _("Fix awaits review")
    SENT_BACK = "sent_back", _("Fix sent back")
    CLOSED = "closed", _("Item closed")
    CHASED = "chased", _("Chased (催办)")
    CARD_ISSUED = "card_issued", _("Yellow card issued")
    CARD_ESCALATED = "card_escalated", _("Yellow card escalated")
    CARD_LIFTED = "card_lifted", _("Yellow card lifted")
    DEDUCTION_PROPOSED = "deduction_proposed", _("Deduction proposed")
    DEDUCTION_CONFIRMED = "deduction_confirmed", _("Deduction confirmed")
    DEDUCTION_WAIVED = "deduction_waived", _("Deduction waived")
    ACCEPTANCE = "acceptance", _("Acceptance (考核验收)")
    # The acceptance app's own levels (acceptance/events.py), labelled here for the inbox.
    ACC_SCHEDULED = "acc_scheduled", _("Acceptance review scheduled")
    ACC_SCORED = "acc_scored", _("Acceptance review scored")
    ACC_PASSED = "acc_passed", _("Acceptance review passed")
    ACC_FAILED = "acc_failed", _("Acceptance review failed")
    ACC_DECIDED = "acc_decided", _("Acceptance decided")
    ACC_REVOKED = "acc_revoked", _("Title revoked (摘帽)")
    CHANNEL_FAILED = "channel_failed", _("Group robot failed")
    READY = "ready", _("Ready")


# The levels a group channel may carry (its event filter); the ladder's own rungs reach groups
# through the county digest only.
CHANNEL_EVENTS = [
    NotificationLevel.DIGEST,
    NotificationLevel.ASSIGNED,
    NotificationLevel.FIX_SUBMITTED,
    NotificationLevel.SENT_BACK,
    NotificationLevel.CLOSED,
    NotificationLevel.CHASED,
    NotificationLevel.CARD_ISSUED,
    NotificationLevel.CARD_ESCALATED,
    NotificationLevel.CARD_LIFTED,
    NotificationLevel.DEDUCTION_PROPOSED,
    NotificationLevel.DEDUCTION_CONFIRMED,
    NotificationLevel.DEDUCTION_WAIVED,
    NotificationLevel.ACCEPTANCE,
    NotificationLevel.ACC_SCHEDULED,
    NotificationLevel.ACC_SCORED,
    NotificationLevel.ACC_PASSED,
    NotificationLevel.ACC_FAILED,
    NotificationLevel.ACC_DECIDED,
    NotificationLevel.ACC_REVOKED,
]


class NotificationKind(models.TextChoices):
    """What the notice is about; labels only, notifications never imports the apps that use them."""

    FINDING = "finding", _("Rectification item")
    SECRETARY = "secretary", _("Secretary-assigned point")
    MILESTONE = "milestone", _("Project milestone")
    APPROVAL = "approval", _("Approval deadline")
    DIGEST = "digest", _("Daily digest")
    YELLOW_CARD = "yellow_card", _("Yellow card")
    DEDUCTION = "deduction", _("Performance-pay deduction")
    ACCEPTANCE = "acceptance", _("Acceptance (考核验收)")
    CHANNEL = "channel", _("Group robot")
    CERTIFICATE = "certificate", _("Cleaner's certificate")
    EXPORT = "export", _("Export")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not e-mailed")
    DAILY = "daily", _("Waiting for the daily e-mail")


class Delivery(models.TextChoices):
    """How a person wants their notices beside the inbox."""

    INBOX = "inbox", _("Inbox only")
    EMAIL = "email", _("Inbox and an e-mail for each notice")
    DAILY = "daily", _("Inbox and one e-mail a day")


# Ordered lowest first, the values of inspections' Severity (a channel carries this and above).
SEVERITY_ORDER = ["minor", "major", "critical"]


class MinSeverity(models.TextChoices):
    ANY = "", _("Any severity")
    MAJOR = "major", _("Major and critical")
    CRITICAL = "critical", _("Critical only")


class ChannelKind(models.TextChoices):
    DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")
    WECOM = "wecom", _("WeCom group robot (企业微信)")


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FAILED = "failed", _("Failed (key or signature refused)")
    PAUSED = "paused", _("Paused")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    CSV = "csv", "CSV (.csv)"
