from django.db import models
from django.utils.translation import gettext_lazy as _


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
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")


class FindingSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SECRETARY = "secretary", _("Assigned by the secretary")
    GRID = "grid", _("Grid patrol")
    MEDIA = "media", _("Media")
    PUBLIC = "public", _("Public report")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Fix submitted")
    REJECTED = "rejected", _("Sent back")
    CLOSED = "closed", _("Closed")


class FindingEventKind(models.TextChoices):
    CREATED = "created", _("Filed")
    SUBMITTED = "submitted", _("Fix submitted")
    VERIFIED = "verified", _("Verified and closed")
    REJECTED = "rejected", _("Sent back")
    PHOTO = "photo", _("Photos added")
    REPLIED = "replied", _("Written reply")
    ARCHIVED = "archived", _("Archived")
    EDITED = "edited", _("Edited")


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
