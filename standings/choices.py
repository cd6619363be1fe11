from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WarningColour(models.TextChoices):
    RED = "red", _("Red: seriously behind")
    YELLOW = "yellow", _("Yellow: behind")
    BLUE = "blue", _("Blue: on track")


class RankingStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("ranking status", "Draft")
    PUBLISHED = "published", pgettext_lazy("ranking status", "Published")


class GroupBy(models.TextChoices):
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    TRACK = "track", _("track")
