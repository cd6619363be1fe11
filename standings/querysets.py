"""Reads over the summary rows: every roll-up is one aggregate query over a few thousand rows."""

from django.db import models
from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf

from .conf import warning_rules

PCT = DecimalField(max_digits=7, decimal_places=2)
QTY = DecimalField(max_digits=16, decimal_places=2)


def _ratio(numerator, denominator):
    """numerator / denominator as a percent-shaped decimal, NULL when the denominator is 0."""
    return Cast(Cast(numerator, QTY) / NullIf(Cast(denominator, QTY), Value(0, output_field=QTY)), PCT)


def gap_colour(gap_field: str):
    """The warning colour from the gap alone (counties and tracks carry no yellow cards)."""
    rules = warning_rules()
    return Case(
        When(Q(**{f"{gap_field}__gte": rules.red_gap}), then=Value("red")),
        When(Q(**{f"{gap_field}__gte": rules.yellow_gap}), then=Value("yellow")),
        default=Value("blue"),
        output_field=models.CharField(),
    )


class TrackStandingQuerySet(models.QuerySet):
    def with_targets(self):
        return self.filter(target__isnull=False)

    def rollup(self, *keys):
        """Targets, quantities, mean percents, findings and a gap colour per group of `keys`."""
        return (
            self.values(*keys)
            .order_by(*keys)
            .annotate(
                targets=Count("target"),
                target_quantity=Coalesce(Sum("target_quantity"), Value(0, output_field=QTY)),
                done_quantity=Coalesce(Sum("done_quantity"), Value(0, output_field=QTY)),
                percent=_ratio(Sum("percent"), Count("target")),
                expected_percent=_ratio(Sum("expected_percent"), Count("target")),
                open_findings=Sum("open_findings"),
                overdue_findings=Sum("overdue_findings"),
            )
            .annotate(gap=Coalesce(F("expected_percent") - F("percent"), Value(0, output_field=PCT)))
            .annotate(colour=gap_colour("gap"))
        )

    def by_track(self):
        """One row per track: mean percent of its targets, findings counted by track."""
        return self.rollup("track_id", "track__code", "track__name", "track__position").order_by(
            "track__position"
        )

    def by_county_and_track(self):
        """The counties × tracks table of the city overview."""
        return self.rollup("county_id", "county__code", "track_id").order_by("county__code")


def _township_sums(**quantities) -> dict:
    """What a group of township rows adds up to: the county rows and the whole scope's totals."""
    # `quantities` go after the target count, where the county rows have always shown them.
    return {
        "townships": Count("pk"),
        "targets": Sum("target_count"),
        **quantities,
        "percent": _ratio(Sum("percent_sum"), Sum("target_count")),
        "expected_percent": _ratio(Sum("expected_sum"), Sum("target_count")),
        "open_findings": Sum("open_findings"),
        "overdue_findings": Sum("overdue_findings"),
        "active_yellow_cards": Sum("active_yellow_cards"),
        "red": Count("pk", filter=Q(colour="red")),
        "yellow": Count("pk", filter=Q(colour="yellow")),
        "blue": Count("pk", filter=Q(colour="blue")),
    }


class TownshipStandingQuerySet(models.QuerySet):
    def by_county(self):
        """One row per county: mean target percent, findings, colours and yellow cards summed."""
        return (
            self.values("county_id", "county__code", "county__name")
            .order_by("county__code")
            .annotate(
                **_township_sums(target_quantity=Sum("target_quantity"), done_quantity=Sum("done_quantity"))
            )
            .annotate(gap=Coalesce(F("expected_percent") - F("percent"), Value(0, output_field=PCT)))
            .annotate(colour=gap_colour("gap"))
        )

    def totals(self) -> dict:
        """The whole scope in one row (city overview stats)."""
        return self.aggregate(**_township_sums(), refreshed_at=models.Max("refreshed_at"))

    def warning_board(self):
        """Red then yellow townships, worst gap first."""
        return (
            self.filter(colour__in=["red", "yellow"])
            .select_related("township", "county")
            .annotate(colour_order=Case(When(colour="red", then=Value(0)), default=Value(1)))
            .order_by("colour_order", "-gap", "-overdue_findings", "township__code")
        )


class WarningSnapshotQuerySet(models.QuerySet):
    def trend(self):
        """Mean percent done and expected per period, oldest first."""
        return (
            self.values("period")
            .order_by("period")
            .annotate(
                townships=Count("pk"),
                targets=Sum("target_count"),
                percent=Cast(models.Avg("percent"), PCT),
                expected_percent=Cast(models.Avg("expected_percent"), PCT),
                red=Count("pk", filter=Q(colour="red")),
                yellow=Count("pk", filter=Q(colour="yellow")),
                blue=Count("pk", filter=Q(colour="blue")),
            )
        )


class RankingEntryQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("ranking", "township", "county", "snapshot")
