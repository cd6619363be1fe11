from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import protected_fk, user_fk

from .choices import Role, TownshipCategory, TownshipKind, TownshipStatus
from .geo import coordinate_fields
from .limits import TEXT_MAX_LENGTH, plausible_date
from .querysets import CountyQuerySet, TargetQuerySet, TownshipQuerySet
from .references import city_fk, county_fk, township_fk, track_fk

code_validator = RegexValidator(r"^\d{6,12}$", _("A statistics code is 6 to 12 digits."))


class City(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    city = city_fk("counties")
    code = models.CharField(_("code"), max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=50)

    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("townships:county_detail", args=[self.code])


class Township(models.Model):
    county = county_fk("townships")
    code = models.CharField(_("code"), max_length=12, unique=True, validators=[code_validator])
    official_name = models.CharField(
        _("official name"),
        max_length=50,
        help_text=_("The name in official documents, rare characters included."),
    )
    name = models.CharField(_("display name"), max_length=50, db_index=True)
    aliases = models.CharField(
        _("aliases"), max_length=300, blank=True, help_text=_("Other names in use, separated by commas.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TownshipKind.choices)
    category = models.CharField(_("category"), max_length=30, choices=TownshipCategory.choices)
    parent = protected_fk(
        "self",
        _("parent township"),
        optional=True,
        related_name="former_seats",
        help_text=_("For a former township seat: the township it now belongs to."),
    )
    in_programme = models.BooleanField(_("in programme"), default=True)
    plan_year = models.PositiveSmallIntegerField(
        _("plan year"),
        null=True,
        blank=True,
        help_text=_("Year the township is scheduled to pass acceptance."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TownshipStatus.choices, default=TownshipStatus.PLANNED
    )
    latitude, longitude = coordinate_fields(checked=False)
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)

    objects = TownshipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]
        indexes = [models.Index(fields=["county", "category", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan_year__isnull=True) | Q(plan_year__gte=2016, plan_year__lte=2035),
                name="township_plan_year_range",
            ),
            models.CheckConstraint(
                condition=Q(category="former_seat") | Q(parent__isnull=True),
                name="township_parent_only_for_former_seat",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("townships:township_detail", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id and self.category != TownshipCategory.FORMER_SEAT:
            raise ValidationError({"parent": _("Only a former township seat has a parent township.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A township cannot be its own parent.")})

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.replace("，", ",").split(",") if a.strip()]


class Track(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    township = township_fk("targets")
    track = track_fk("targets")
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("target quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("unit"), max_length=20)
    start_date = models.DateField(_("start date"), validators=[plausible_date], null=True, blank=True)
    due_date = models.DateField(_("due date"), validators=[plausible_date])

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["township__code", "track__position"]
        constraints = [
            models.UniqueConstraint(fields=["township", "track"], name="target_unique_township_track"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="target_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.township} · {self.track}"

    def clean(self) -> None:
        if self.start_date and self.due_date and self.start_date > self.due_date:
            raise ValidationError({"due_date": _("The due date cannot be before the start date.")})


class ProgressReport(models.Model):
    target = protected_fk(Target, _("target"), related_name="progress_reports")
    reported_on = models.DateField(_("report date"), validators=[plausible_date])
    cumulative_quantity = models.DecimalField(
        _("cumulative quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="progress/%Y/%m/", blank=True)
    reported_by = user_fk(_("reported by"), optional=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["target", "-reported_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cumulative_quantity__gte=0), name="progress_quantity_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} @ {self.reported_on}"


class Membership(models.Model):
    """A user's role and the part of the city it covers; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    city = city_fk(optional=True)
    county = county_fk(optional=True)
    township = township_fk(optional=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role="province", city__isnull=True, county__isnull=True, township__isnull=True)
                    | Q(role="city_office", city__isnull=False, county__isnull=True, township__isnull=True)
                    | Q(
                        role="county_official", city__isnull=True, county__isnull=False, township__isnull=True
                    )
                    | Q(role="township_staff", city__isnull=True, county__isnull=True, township__isnull=False)
                    | (
                        Q(role__in=["inspector", "api_client"])
                        & (
                            Q(city__isnull=False, county__isnull=True, township__isnull=True)
                            | Q(city__isnull=True, county__isnull=False, township__isnull=True)
                            | Q(city__isnull=True, county__isnull=True, township__isnull=False)
                        )
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return str(self.township or self.county or self.city or _("whole province"))

    def clean(self) -> None:
        scopes = [s for s in ("city", "county", "township") if getattr(self, f"{s}_id")]
        required = {
            Role.PROVINCE: set(),
            Role.CITY_OFFICE: {"city"},
            Role.COUNTY_OFFICIAL: {"county"},
            Role.TOWNSHIP_STAFF: {"township"},
        }
        if self.role in required and set(scopes) != required[self.role]:
            names = {"city": _("city"), "county": _("county"), "township": _("township")}
            wanted = "、".join(str(names[s]) for s in required[self.role]) or _("no scope")
            raise ValidationError(_("This role needs exactly: %(scope)s.") % {"scope": wanted})
        if self.role in (Role.INSPECTOR, Role.API_CLIENT) and len(scopes) != 1:
            raise ValidationError(_("Choose exactly one of city, county or township for this role."))


class TokenUse(models.Model):
    """When an API token was last used: written at most once a minute (townships.tokens.token_touch)."""

    token = models.OneToOneField(
        "authtoken.Token", on_delete=models.CASCADE, primary_key=True, related_name="usage"
    )
    last_used_at = models.DateTimeField(_("last used at"))

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")

    def __str__(self) -> str:
        return f"{self.token_id[:8]}… {self.last_used_at:%Y-%m-%d %H:%M}"
