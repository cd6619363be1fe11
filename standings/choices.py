from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningColour(models.TextChoices):
    RED = "red", _("Red: seriously behind")
    YELLOW = "yellow", _("Yellow: behind")
    BLUE = "blue", _("Blue: on track")


class RankingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class GroupBy(models.TextChoices):
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    TRACK = "track", _("track")
