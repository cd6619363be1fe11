from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved")
    BUILDING = "building", _("Under construction")
    COMPLETED = "completed", _("Completed")
    ACCEPTED = "accepted", _("Accepted")


# The one order a project moves through; a step may not be skipped.
PROJECT_STATUS_ORDER = [s.value for s in ProjectStatus]
# Which date field records reaching each status.
PROJECT_STATUS_DATE_FIELD = {
    ProjectStatus.APPROVED: "approved_on",
    ProjectStatus.BUILDING: "started_on",
    ProjectStatus.COMPLETED: "completed_on",
    ProjectStatus.ACCEPTED: "accepted_on",
}


class ProcurementMode(models.TextChoices):
    OPEN_TENDER = "open_tender", _("Open tender")
    INVITED_TENDER = "invited_tender", _("Invited tender")
    SELF_CONTRACTING = "self_contracting", _("Self-contracting")
    DESIGN_WHILE_BUILD = "design_while_build", _("Design while building")
    BUILD_FIRST = "build_first", _("Build first, approvals after")


# The fast-track review (项目快速审查机制) modes; allowed only under the threshold or for scattered works.
FAST_TRACK_MODES = frozenset(
    {ProcurementMode.SELF_CONTRACTING, ProcurementMode.DESIGN_WHILE_BUILD, ProcurementMode.BUILD_FIRST}
)


class FundingSource(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    OTHER = "other", _("Other")


class HouseholdStage(models.TextChoices):
    UNSIGNED = "unsigned", _("Not signed")
    SIGNED = "signed", _("Signed")
    DEMOLISHED = "demolished", _("Demolished")
    RENOVATED = "renovated", _("Renovated")


HOUSEHOLD_STAGE_ORDER = [s.value for s in HouseholdStage]
HOUSEHOLD_STAGE_DATE_FIELD = {
    HouseholdStage.SIGNED: "signed_on",
    HouseholdStage.DEMOLISHED: "demolished_on",
    HouseholdStage.RENOVATED: "renovated_on",
}
