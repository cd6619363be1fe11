"""考核验收: the annual plan, scoring schemes, applications, reviews, outcomes and the expert pool."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import protected_fk, user_fk
from townships.limits import TEXT_MAX_LENGTH
from townships.references import city_fk, county_fk, township_fk, track_fk

from .choices import (
    ApplicationStatus,
    Component,
    Level,
    Method,
    ModelStatus,
    PlanStatus,
    ReviewResult,
    ReviewStatus,
    Round,
    StatusEventKind,
)
from .querysets import ApplicationQuerySet, PlanEntryQuerySet

POINTS = {"max_digits": 7, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def points_field(verbose_name, *, optional=False, **kwargs) -> models.DecimalField:
    """Points of a scheme or a score: two decimals, never negative; `optional`: may stay empty."""
    if optional:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
    return models.DecimalField(verbose_name, **POINTS, validators=NON_NEGATIVE, **kwargs)


class Expert(models.Model):
    """One member of the expert pool (专家库)."""

    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    track = track_fk(verbose_name=_("specialty track"), optional=True)
    county = county_fk(optional=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("expert pool")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name


class PlanEntry(models.Model):
    """A township on a city's annual plan (年度计划达标名单): proposed by its county, confirmed by the city."""

    year = models.PositiveSmallIntegerField(_("year"))
    city = city_fk()
    township = township_fk("plan_entries")
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PROPOSED
    )
    proposed_by = user_fk(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    confirmed_by = user_fk(_("confirmed by"), optional=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = PlanEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual plan entry")
        verbose_name_plural = _("annual plan")
        ordering = ["-year", "township__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "township"], name="acceptance_plan_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.township}"


class Scheme(models.Model):
    """A year's 考核办法 with its 计分表; the pass mark and 样板 threshold are the office's to enter."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    number = models.CharField(
        _("document number"), max_length=50, blank=True, help_text=_("e.g. 浙镇治办〔2018〕35号")
    )
    title = models.CharField(_("title"), max_length=200)
    pass_mark = points_field(
        _("pass mark"),
        optional=True,
        help_text=_("Total score needed to pass; entered by the office from the scheme document."),
    )
    model_threshold = points_field(
        _("provincial model threshold"),
        optional=True,
        help_text=_("Total score a township needs to be recommended as a provincial model."),
    )
    active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="acceptance_scheme_version")]

    def __str__(self) -> str:
        return f"{self.title}（{self.year} v{self.version}）"

    def get_absolute_url(self) -> str:
        return reverse("acceptance:scheme_detail", args=[self.pk])


class SchemeComponent(models.Model):
    """One part of the total (汇报, 台账, 现场, 整治办评分) and its weight in per cent."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="components"
    )
    code = models.CharField(_("component"), max_length=20, choices=Component.choices)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2, validators=NON_NEGATIVE)

    class Meta:
        verbose_name = _("scheme component")
        verbose_name_plural = _("scheme components")
        ordering = ["scheme", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="acceptance_component_once")]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.weight}%"


class SchemeItem(models.Model):
    """A line of the 计分表; items with children are headings, only leaves are scored."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20)
    component = models.CharField(_("component"), max_length=20, choices=Component.choices)
    track = track_fk(optional=True)
    name = models.CharField(_("item"), max_length=300)
    max_points = points_field(_("maximum points"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, blank=True)
    deduction_rule = models.CharField(_("deduction rule"), max_length=300, blank=True)
    deduction_per = points_field(
        _("points per deduction"), optional=True, help_text=_("每发现一处扣 N 分，扣完为止: N.")
    )
    is_veto = models.BooleanField(_("veto item (一票否决)"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scheme item")
        verbose_name_plural = _("scheme items")
        ordering = ["scheme", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="acceptance_item_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Application(models.Model):
    """A township's 考核验收申请 for a year and round, with its self-assessment."""

    plan_entry = protected_fk(PlanEntry, _("plan entry"), related_name="applications")
    township = township_fk("acceptance_applications")
    year = models.PositiveSmallIntegerField(_("year"))
    round = models.CharField(_("round"), max_length=20, choices=Round.choices, default=Round.MID_YEAR)
    scheme = protected_fk(Scheme, _("scheme"), related_name="applications")
    self_score = points_field(_("self-assessment score"))
    self_assessment = models.TextField(_("self-assessment"), max_length=TEXT_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.FILED
    )
    returned_from = models.CharField(
        _("status before it was sent back"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    model_status = models.CharField(
        _("provincial model"),
        max_length=20,
        choices=ModelStatus.choices,
        blank=True,
        default=ModelStatus.NONE,
    )
    filed_by = user_fk(_("filed by"))
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    decided_by = user_fk(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("acceptance application")
        verbose_name_plural = _("acceptance applications")
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.township} {self.year} {self.get_round_display()}"

    def get_absolute_url(self) -> str:
        return reverse("acceptance:application_detail", args=[self.pk])


class Review(models.Model):
    """One review of an application at one level, by a mixed team on a date; the total is computed."""

    application = protected_fk(Application, _("application"), related_name="reviews")
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    reviewed_on = models.DateField(_("review date"))
    teams = models.ManyToManyField("inspections.Team", verbose_name=_("groups"), blank=True)
    experts = models.ManyToManyField(Expert, verbose_name=_("experts from the pool"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SCHEDULED
    )
    total = models.DecimalField(_("total score"), **POINTS, null=True, blank=True)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    result = models.CharField(_("result"), max_length=10, choices=ReviewResult.choices, blank=True)
    scheduled_by = user_fk(_("scheduled by"))
    scored_by = user_fk(_("scored by"), optional=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "reviewed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "level"],
                condition=Q(status="scheduled"),
                name="acceptance_one_open_review_per_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("acceptance:review_score", args=[self.pk])


class ItemScore(models.Model):
    """The points a review gave one item; a deduction with a note puts a finding on the list."""

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    item = protected_fk(SchemeItem, _("item"), related_name="+")
    deductions = models.PositiveSmallIntegerField(_("places found"), default=0)
    points = points_field(_("points"))
    vetoed = models.BooleanField(_("veto triggered"), default=False)
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    finding = protected_fk("inspections.Finding", _("finding"), optional=True, related_name="+")

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        ordering = ["review", "item__order", "item__pk"]
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="acceptance_score_once")]

    def __str__(self) -> str:
        return f"{self.review} {self.item}"


class SpotCheck(models.Model):
    """A later 抽检 of a passed township; a failed one revokes the title (摘帽)."""

    application = protected_fk(Application, _("application"), related_name="spot_checks")
    township = township_fk("+")
    checked_on = models.DateField(_("check date"))
    passed = models.BooleanField(_("kept the title"))
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    recorded_by = user_fk(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.township} {self.checked_on}"


class StatusEvent(models.Model):
    """Why a township's status changed, linked to what did it (the row's own history is simple_history's)."""

    township = township_fk("acceptance_events")
    kind = models.CharField(_("kind"), max_length=20, choices=StatusEventKind.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    application = protected_fk(Application, _("application"), optional=True, related_name="events")
    review = protected_fk(Review, _("review"), optional=True, related_name="+")
    spot_check = protected_fk(SpotCheck, _("spot check"), optional=True, related_name="+")
    actor = user_fk(_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("township status event")
        verbose_name_plural = _("township status events")
        ordering = ["township", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.township} {self.get_kind_display()}"

    @property
    def from_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(self.to_status)


def _status_label(value: str) -> str:
    from townships.choices import TownshipStatus

    return str(TownshipStatus(value).label) if value in TownshipStatus.values else value
