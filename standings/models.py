"""Who is ahead and who is behind (DESIGN.md §3 standings).

TrackStanding and TownshipStanding are derived summary rows, rebuilt set-based by
`services.standings_refresh`; dashboards and `progress/` read them instead of aggregating
findings and reports per request. WarningSnapshot, Ranking, RankingEntry and RedFlag are the
history: once a period's ranking is published its rows never change.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import protected_fk, user_fk
from inspections.choices import YellowCardLevel
from townships.choices import TownshipCategory
from townships.references import county_fk, township_fk

from .choices import RankingStatus, WarningColour
from .querysets import (
    RankingEntryQuerySet,
    TownshipStandingQuerySet,
    TrackStandingQuerySet,
    WarningSnapshotQuerySet,
)

period_validator = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("A period is a month written YYYY-MM."))

PERCENT = {"max_digits": 7, "decimal_places": 2}
QUANTITY = {"max_digits": 16, "decimal_places": 2}


def derived_fk(to, verbose_name, **kwargs) -> models.ForeignKey:
    """A reference of a derived summary row: the refresh rebuilds such rows from the registry, so they
    go with what they summarise (CASCADE) and give it no reverse accessor."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=models.CASCADE, related_name="+", **kwargs
    )


def derived_township_key(related_name="+") -> models.OneToOneField:
    """The township a per-township summary row (its standing, its stale mark) is keyed by; it goes with it."""
    return models.OneToOneField(
        "townships.Township",
        verbose_name=_("township"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name=related_name,
    )


class TrackStanding(models.Model):
    """One township × track: its target, latest cumulative progress and findings (derived)."""

    township = derived_fk("townships.Township", _("township"))
    county = derived_fk("townships.County", _("county"))
    track = derived_fk("townships.Track", _("track"))
    target = derived_fk("townships.Target", _("target"), null=True)
    start_date = models.DateField(_("start date"), null=True)
    due_date = models.DateField(_("due date"), null=True)
    target_quantity = models.DecimalField(_("target quantity"), null=True, **QUANTITY)
    done_quantity = models.DecimalField(_("done quantity"), null=True, **QUANTITY)
    percent = models.DecimalField(_("percent done"), null=True, **PERCENT)
    expected_percent = models.DecimalField(_("expected percent"), null=True, **PERCENT)
    open_findings = models.PositiveIntegerField(_("open findings"), default=0)
    overdue_findings = models.PositiveIntegerField(_("overdue findings"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    objects = TrackStandingQuerySet.as_manager()

    class Meta:
        verbose_name = _("track standing")
        verbose_name_plural = _("track standings")
        constraints = [
            models.UniqueConstraint(fields=["township", "track"], name="trackstanding_unique_township_track")
        ]
        indexes = [models.Index(fields=["county", "track"])]

    def __str__(self) -> str:
        return f"{self.township_id} · {self.track_id}"


class TownshipStanding(models.Model):
    """One township's current standing: progress against plan, findings, colour, score (derived)."""

    township = derived_township_key("standing")
    county = derived_fk("townships.County", _("county"))
    category = models.CharField(_("category"), max_length=30, choices=TownshipCategory.choices)
    target_count = models.PositiveIntegerField(_("targets"), default=0)
    target_quantity = models.DecimalField(_("target quantity"), default=0, **QUANTITY)
    done_quantity = models.DecimalField(_("done quantity"), default=0, **QUANTITY)
    # Sums over the targets, so a county's mean is SUM(percent_sum) / SUM(target_count) in one query.
    percent_sum = models.DecimalField(_("sum of target percents"), default=0, **QUANTITY)
    expected_sum = models.DecimalField(_("sum of expected percents"), default=0, **QUANTITY)
    percent = models.DecimalField(_("percent done"), null=True, **PERCENT)
    expected_percent = models.DecimalField(_("expected percent"), null=True, **PERCENT)
    gap = models.DecimalField(_("gap to plan (points)"), default=0, **PERCENT)
    open_findings = models.PositiveIntegerField(_("open findings"), default=0)
    overdue_findings = models.PositiveIntegerField(_("overdue findings"), default=0)
    closed_findings = models.PositiveIntegerField(_("closed findings"), default=0)
    total_findings = models.PositiveIntegerField(_("findings"), default=0)
    closure_rate = models.DecimalField(_("closure rate"), null=True, **PERCENT)
    active_yellow_cards = models.PositiveIntegerField(_("active yellow cards"), default=0)
    yellow_card_level = models.CharField(
        _("yellow card level"), max_length=20, choices=YellowCardLevel.choices, blank=True, default=""
    )
    colour = models.CharField(
        _("warning colour"), max_length=10, choices=WarningColour.choices, default=WarningColour.BLUE
    )
    score = models.DecimalField(_("score"), default=0, max_digits=9, decimal_places=2)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    objects = TownshipStandingQuerySet.as_manager()

    class Meta:
        verbose_name = _("township standing")
        verbose_name_plural = _("township standings")
        indexes = [models.Index(fields=["county", "colour"]), models.Index(fields=["colour", "-gap"])]

    def __str__(self) -> str:
        return str(self.township_id)


class WarningSnapshot(models.Model):
    """A township's warning colour for one period and the metrics behind it; frozen once published."""

    period = models.CharField(_("period"), max_length=7, validators=[period_validator], db_index=True)
    township = township_fk("warning_snapshots")
    county = county_fk("+")
    category = models.CharField(_("category"), max_length=30, choices=TownshipCategory.choices)
    colour = models.CharField(_("warning colour"), max_length=10, choices=WarningColour.choices)
    target_count = models.PositiveIntegerField(_("targets"), default=0)
    percent = models.DecimalField(_("percent done"), null=True, **PERCENT)
    expected_percent = models.DecimalField(_("expected percent"), null=True, **PERCENT)
    gap = models.DecimalField(_("gap to plan (points)"), default=0, **PERCENT)
    open_findings = models.PositiveIntegerField(_("open findings"), default=0)
    overdue_findings = models.PositiveIntegerField(_("overdue findings"), default=0)
    closure_rate = models.DecimalField(_("closure rate"), null=True, **PERCENT)
    active_yellow_cards = models.PositiveIntegerField(_("active yellow cards"), default=0)
    yellow_card_level = models.CharField(
        _("yellow card level"), max_length=20, choices=YellowCardLevel.choices, blank=True, default=""
    )
    score = models.DecimalField(_("score"), default=0, max_digits=9, decimal_places=2)
    taken_at = models.DateTimeField(_("taken at"))

    objects = WarningSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("warning snapshot")
        verbose_name_plural = _("warning snapshots")
        ordering = ["-period", "township__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "township"], name="warningsnapshot_unique_period_township"
            ),
            models.CheckConstraint(
                condition=Q(colour__in=WarningColour.values), name="warningsnapshot_colour_valid"
            ),
        ]
        indexes = [models.Index(fields=["period", "county"])]

    def __str__(self) -> str:
        return f"{self.period} · {self.township_id} · {self.colour}"


class Ranking(models.Model):
    """The ranking of one period (a month); its entries are frozen once it is published (张榜公布)."""

    period = models.CharField(_("period"), max_length=7, unique=True, validators=[period_validator])
    status = models.CharField(
        _("status"), max_length=20, choices=RankingStatus.choices, default=RankingStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = user_fk(_("published by"), optional=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="ranking_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.period

    def get_absolute_url(self) -> str:
        return reverse("standings:ranking_detail", args=[self.period])

    @property
    def is_published(self) -> bool:
        return self.status == RankingStatus.PUBLISHED

    def clean(self) -> None:
        if self.status == RankingStatus.PUBLISHED and not self.published_at:
            raise ValidationError({"published_at": _("A published ranking needs its publication time.")})


class RankingEntry(models.Model):
    """One township's place in a period's ranking, within its county and within its category."""

    ranking = protected_fk(Ranking, _("ranking"), related_name="entries")
    snapshot = models.OneToOneField(
        WarningSnapshot,
        verbose_name=_("warning snapshot"),
        on_delete=models.PROTECT,
        related_name="ranking_entry",
    )
    township = township_fk("+")
    county = county_fk("+")
    category = models.CharField(_("category"), max_length=30, choices=TownshipCategory.choices)
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=2)
    county_rank = models.PositiveIntegerField(_("rank in county"))
    category_rank = models.PositiveIntegerField(_("rank in category"))

    objects = RankingEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        ordering = ["county__code", "county_rank", "township__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["ranking", "township"], name="rankingentry_unique_ranking_township"
            ),
            models.CheckConstraint(
                condition=Q(county_rank__gte=1, category_rank__gte=1), name="rankingentry_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ranking_id} · {self.township_id} · {self.county_rank}"


class RedFlag(models.Model):
    """The rotating red flag (干事创业流动红旗) of a county for one published period."""

    period = models.CharField(_("period"), max_length=7, validators=[period_validator])
    county = county_fk("red_flags")
    holder = township_fk("red_flags", verbose_name=_("holder"))
    previous_holder = township_fk("+", verbose_name=_("previous holder"), optional=True)
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=2)
    awarded_at = models.DateTimeField(_("awarded at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        ordering = ["-period", "county__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "county"], name="redflag_unique_period_county")
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.county_id} · {self.holder_id}"

    @property
    def moved(self) -> bool:
        return self.previous_holder_id is not None and self.previous_holder_id != self.holder_id

    def clean(self) -> None:
        if self.holder_id and self.county_id and self.holder.county_id != self.county_id:
            raise ValidationError({"holder": _("The red flag goes to a township of the same county.")})


class TargetMilestone(models.Model):
    """A point of a target's schedule: by `due_date`, `expected_percent` should be done.

    Expected progress runs linearly between milestones (from 0 % at the target's start to
    100 % at its due date), so a back-loaded plan is not shown as behind too early.
    """

    target = models.ForeignKey(
        "townships.Target", verbose_name=_("target"), on_delete=models.CASCADE, related_name="milestones"
    )
    due_date = models.DateField(_("date"))
    expected_percent = models.DecimalField(
        _("expected percent"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("schedule milestone")
        verbose_name_plural = _("schedule milestones")
        ordering = ["target", "due_date"]
        constraints = [
            models.UniqueConstraint(fields=["target", "due_date"], name="targetmilestone_unique_target_date"),
            models.CheckConstraint(
                condition=Q(expected_percent__gte=0, expected_percent__lte=100),
                name="targetmilestone_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.due_date} · {self.expected_percent}%"

    def clean(self) -> None:
        target = self.target if self.target_id else None
        if target and target.due_date and self.due_date and self.due_date > target.due_date:
            raise ValidationError({"due_date": _("A milestone cannot fall after the target's due date.")})
        if target and target.start_date and self.due_date and self.due_date < target.start_date:
            raise ValidationError({"due_date": _("A milestone cannot fall before the target's start date.")})


class StaleTownship(models.Model):
    """A township whose summary rows a committed write has made stale (issue 20).

    Inserted in the writing transaction, so a mark exists exactly when its write committed; the
    debounced refresh deletes the marks it takes (in its own transaction: a refresh that fails
    leaves them for the next one).
    """

    township = derived_township_key()
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("stale township summary")
        verbose_name_plural = _("stale township summaries")

    def __str__(self) -> str:
        return f"{self.township_id} @ {self.marked_at:%H:%M:%S}"
