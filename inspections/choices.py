from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TeamKind(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision group")
    SPECIALIST = "specialist", _("Specialist group")
    EXPERT_POOL = "expert_pool", _("Expert pool")


class InspectionMode(models.TextChoices):
    OPEN = "open", _("Open inspection")
    COVERT = "covert", _("Covert inspection")
    ACCEPTANCE = "acceptance", _("Acceptance inspection")
    SPOT_CHECK = "spot_check", _("Spot check")
    REVISIT = "revisit", _("Revisit")


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("inspection status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("inspection status", "Submitted")
    PUBLISHED = "published", pgettext_lazy("inspection status", "Published")


class FindingSource(models.TextChoices):
    INSPECTION = "inspection", pgettext_lazy("finding source", "Inspection")
    SECRETARY = "secretary", pgettext_lazy("finding source", "Assigned by the secretary")
    GRID = "grid", pgettext_lazy("finding source", "Grid patrol")
    MEDIA = "media", pgettext_lazy("finding source", "Media")
    PUBLIC = "public", pgettext_lazy("finding source", "Public report")
    ACCEPTANCE = "acceptance", pgettext_lazy("finding source", "Acceptance assessment")
    GUIDANCE = "guidance", pgettext_lazy("finding source", "Specialist guidance")


class GuidanceTopic(models.TextChoices):
    """What a specialist group's visit (专项指导) covered."""

    POLICY = "policy", _("Policy explanation")
    TECHNICAL = "technical", _("Technical support")
    PLAN_REVIEW = "plan_review", _("Plan review")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding status", "Open")
    SUBMITTED = "submitted", pgettext_lazy("finding status", "Fix submitted")
    REJECTED = "rejected", pgettext_lazy("finding status", "Sent back")
    CLOSED = "closed", pgettext_lazy("finding status", "Closed")


class FindingEventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("finding event", "Filed")
    SUBMITTED = "submitted", pgettext_lazy("finding event", "Fix submitted")
    VERIFIED = "verified", pgettext_lazy("finding event", "Verified and closed")
    REJECTED = "rejected", pgettext_lazy("finding event", "Sent back")
    PHOTO = "photo", pgettext_lazy("finding event", "Photos added")
    REPLIED = "replied", pgettext_lazy("finding event", "Written reply")
    ARCHIVED = "archived", pgettext_lazy("finding event", "Archived")
    RESTORED = "restored", pgettext_lazy("finding event", "Restored")
    EDITED = "edited", pgettext_lazy("finding event", "Edited")
    CHASED = "chased", pgettext_lazy("finding event", "Chased (催办)")
    MERGED = "merged", pgettext_lazy("finding event", "Another report merged")


class PhotoStage(models.TextChoices):
    BEFORE = "before", pgettext_lazy("photo stage", "Before")
    AFTER = "after", pgettext_lazy("photo stage", "After")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("bulletin status", "Draft")
    PUBLISHED = "published", pgettext_lazy("bulletin status", "Published")


class YellowCardLevel(models.TextChoices):
    """The escalation ladder, lowest first."""

    WARNING = "warning", _("Yellow card warning")
    BULLETIN = "bulletin", _("Bulletin criticism")
    MEDIA = "media", _("Joint city-media exposure")
    QUESTIONING = "questioning", _("Televised questioning")


LEVEL_ORDER = [
    YellowCardLevel.WARNING,
    YellowCardLevel.BULLETIN,
    YellowCardLevel.MEDIA,
    YellowCardLevel.QUESTIONING,
]
# Levels that are public exposure and record where and when it ran.
EXPOSURE_LEVELS = frozenset({YellowCardLevel.MEDIA, YellowCardLevel.QUESTIONING})


class YellowCardStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("yellow card status", "Active")
    LIFTED = "lifted", pgettext_lazy("yellow card status", "Lifted")


class YellowCardEventKind(models.TextChoices):
    ISSUED = "issued", pgettext_lazy("yellow card event", "Issued")
    ESCALATED = "escalated", pgettext_lazy("yellow card event", "Escalated")
    LIFTED = "lifted", pgettext_lazy("yellow card event", "Lifted")


class ProposalKind(models.TextChoices):
    ISSUE = "issue", _("Issue a yellow card")
    ESCALATE = "escalate", _("Escalate the yellow card")


class ProposalReason(models.TextChoices):
    OVERDUE_COUNT = "overdue_count", _("Many overdue items")
    LONG_OVERDUE = "long_overdue", _("An item long past its deadline")
    REPEAT = "repeat", _("A revisit found the same problem again")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("proposal status", "Proposed")
    ACCEPTED = "accepted", pgettext_lazy("proposal status", "Accepted")
    DISMISSED = "dismissed", pgettext_lazy("proposal status", "Dismissed")


class DeductionKind(models.TextChoices):
    AMOUNT = "amount", _("Fixed amount (yuan)")
    PERCENTAGE = "percentage", _("Percentage of performance pay")


class DeductionStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("deduction status", "Proposed")
    CONFIRMED = "confirmed", pgettext_lazy("deduction status", "Confirmed")
    WAIVED = "waived", pgettext_lazy("deduction status", "Waived")


class PhotoDerivatives(models.TextChoices):
    """The display copy and thumbnail of a photo, made after the upload by a task."""

    PENDING = "pending", pgettext_lazy("photo copies", "Processing")
    READY = "ready", pgettext_lazy("photo copies", "Ready")
    FAILED = "failed", pgettext_lazy("photo copies", "Failed")
