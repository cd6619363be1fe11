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
    EDITED = "edited", pgettext_lazy("finding event", "Edited")


class PhotoStage(models.TextChoices):
    BEFORE = "before", pgettext_lazy("photo stage", "Before")
    AFTER = "after", pgettext_lazy("photo stage", "After")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("bulletin status", "Draft")
    PUBLISHED = "published", pgettext_lazy("bulletin status", "Published")
