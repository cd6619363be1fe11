from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("plan status", "Proposed by the county")
    CONFIRMED = "confirmed", pgettext_lazy("plan status", "Confirmed by the city office")


class Component(models.TextChoices):
    """The four parts of the acceptance score (综合评定)."""

    REPORT = "report", _("Report (汇报)")
    LEDGER = "ledger", _("Ledger (台账)")
    SITE = "site", _("On site (现场)")
    OFFICE = "office", _("Office rating (整治办评分)")


class Method(models.TextChoices):
    LEDGER = "ledger", _("Check the ledger (查阅台账)")
    SITE = "site", _("Look on site (实地查看)")
    REPORT = "report", _("Hear the report (听取汇报)")


class Round(models.TextChoices):
    MID_YEAR = "mid_year", _("Mid-year round")
    YEAR_END = "year_end", _("Year-end round")


class Level(models.TextChoices):
    COUNTY = "county", _("County self-check (县自查)")
    CITY = "city", _("City check (市核查)")
    PROVINCE = "province", _("Provincial acceptance (省考核验收)")


LEVEL_ORDER = [Level.COUNTY, Level.CITY, Level.PROVINCE]


class ApplicationStatus(models.TextChoices):
    FILED = "filed", pgettext_lazy("application status", "Filed")
    COUNTY_PASSED = "county_passed", pgettext_lazy("application status", "County self-check passed")
    CITY_PASSED = "city_passed", pgettext_lazy("application status", "City check passed")
    PROVINCE_SCORED = "province_scored", pgettext_lazy("application status", "Provincial review scored")
    RETURNED = "returned", pgettext_lazy("application status", "Sent back")
    PASSED = "passed", pgettext_lazy("application status", "Passed (达标)")
    FAILED = "failed", pgettext_lazy("application status", "Not passed (未达标)")


# The status a passed review at each level moves the application to, and the one it needs before.
AFTER_PASS = {
    Level.COUNTY: ApplicationStatus.COUNTY_PASSED,
    Level.CITY: ApplicationStatus.CITY_PASSED,
    Level.PROVINCE: ApplicationStatus.PROVINCE_SCORED,
}
NEEDS = {
    Level.COUNTY: ApplicationStatus.FILED,
    Level.CITY: ApplicationStatus.COUNTY_PASSED,
    Level.PROVINCE: ApplicationStatus.CITY_PASSED,
}


class ModelStatus(models.TextChoices):
    NONE = "", _("Not recommended")
    RECOMMENDED = "recommended", _("Recommended as a provincial model")
    CONFIRMED = "confirmed", _("Confirmed provincial model (省级样板)")


class ReviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("review status", "Scheduled")
    SCORED = "scored", pgettext_lazy("review status", "Scored")


class ReviewResult(models.TextChoices):
    PASS = "pass", pgettext_lazy("review result", "Pass")
    FAIL = "fail", pgettext_lazy("review result", "Fail")


class Decision(models.TextChoices):
    PASSED = "passed", _("Passed (达标)")
    FAILED = "failed", _("Not passed (未达标)")
    MODEL = "model", _("Confirm as provincial model (省级样板)")


class StatusEventKind(models.TextChoices):
    PLANNED = "planned", _("Put on the annual plan")
    PASSED = "passed", _("Passed acceptance")
    FAILED = "failed", _("Did not pass acceptance")
    MODEL = "model", _("Confirmed as provincial model")
    SPOT_KEPT = "spot_kept", _("Spot check kept the title")
    REVOKED = "revoked", _("Title revoked after a failed spot check (摘帽)")
