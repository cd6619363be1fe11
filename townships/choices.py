from django.db import models
from django.utils.translation import gettext_lazy as _


class TownshipKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("Subdistrict (街道)")
    TOWN = "town", _("Town (镇)")
    TOWNSHIP = "township", _("Township (乡)")


class TownshipCategory(models.TextChoices):
    CENTRAL_TOWN = "central_town", _("Provincial central town")
    GENERAL_TOWN = "general_town", _("General town")
    TOWNSHIP_MARKET = "township_market", _("Township market town")
    INDEPENDENT_SUBDISTRICT = "independent_subdistrict", _("Subdistrict independent of the city")
    FORMER_SEAT = "former_seat", _("Former township seat")


class TownshipStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    PASSED = "passed", _("Passed")
    MODEL = "model", _("Provincial model")
    REVOKED = "revoked", _("Revoked")


class Role(models.TextChoices):
    PROVINCE = "province", _("Provincial office")
    CITY_OFFICE = "city_office", _("City office")
    COUNTY_OFFICIAL = "county_official", _("County official")
    INSPECTOR = "inspector", _("Inspector")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    API_CLIENT = "api_client", _("API client")


# Roles that may read but never change operational data (DESIGN.md §2).
READ_ONLY_ROLES = frozenset({Role.PROVINCE, Role.API_CLIENT})
