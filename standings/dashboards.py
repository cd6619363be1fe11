"""What the city overview, the county page and the township panel show: a fixed set of queries each."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from inspections.models import YellowCard
from townships.models import Track
from townships.scope import scoped, township_filter

from .charts import hbar_chart, line_chart, paired_bars
from .choices import RankingStatus
from .maps import warning_map
from .models import Ranking, RankingEntry, RedFlag, TownshipStanding, TrackStanding, WarningSnapshot

BOARD_SIZE = 15


def _one_decimal(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _texts(row: dict) -> dict:
    """Pre-formatted numbers: the overview renders hundreds of cells, filters per cell cost more than SQL."""
    row["percent_text"] = _one_decimal(row.get("percent"))
    row["expected_text"] = _one_decimal(row.get("expected_percent"))
    return row


def _matrix(rows, tracks, key):
    """Rows × tracks cells from a flat (row key, track) roll-up, in track order."""
    cells = {(c[key], c["track_id"]): _texts(c) for c in rows}
    return lambda row_id: [cells.get((row_id, t.pk)) for t in tracks]


def latest_red_flags(user):
    """The red-flag holders of the latest published period, in the user's scope."""
    latest = Ranking.objects.filter(status=RankingStatus.PUBLISHED).order_by("-period").values("period")[:1]
    return list(
        scoped(RedFlag.objects.all(), user, "holder")
        .filter(period=Subquery(latest))
        .select_related("county", "holder", "previous_holder")
        .order_by("county__code")
    )


def overview(user) -> dict:
    """The city overview: totals, counties × tracks, trend, overdue by county, warning board, red flags."""
    standings = TownshipStanding.objects.filter(township_filter(user, prefix="township__"))
    totals = standings.totals()
    counties = list(standings.by_county())
    tracks = list(Track.objects.order_by("position"))
    cells = _matrix(
        TrackStanding.objects.filter(township_filter(user, prefix="township__")).by_county_and_track(),
        tracks,
        "county_id",
    )
    for county in counties:
        _texts(county)
        county["cells"] = cells(county["county_id"])
    trend = list(scoped(WarningSnapshot.objects.all(), user).trend())
    return {
        "totals": totals,
        "counties": counties,
        "tracks": tracks,
        "trend": trend,
        "trend_chart": line_chart(
            trend,
            x_key="period",
            series=[
                ("percent", "chart-line--actual", _("percent done")),
                ("expected_percent", "chart-line--expected", _("expected percent")),
            ],
        )
        if trend
        else None,
        "overdue_chart": hbar_chart(
            counties, label_key="county__name", value_key="overdue_findings", css_key="colour"
        ),
        "board": list(standings.warning_board()[:BOARD_SIZE]),
        "red_flags": latest_red_flags(user),
        "cards": list(
            scoped(YellowCard.objects.active(), user)
            .select_related("township", "township__county")
            .order_by("-issued_at", "-pk")[:BOARD_SIZE]
        ),
        "map": warning_map(user),
    }


def county_page(user, county) -> dict:
    """One county: its townships with colour, progress and latest rank; its tracks."""
    standings = TownshipStanding.objects.filter(township_filter(user, prefix="township__"), county=county)
    latest_rank = RankingEntry.objects.filter(township=OuterRef("township")).order_by("-ranking__period")
    townships = list(
        standings.select_related("township")
        .annotate(
            county_rank=Subquery(latest_rank.values("county_rank")[:1]),
            rank_period=Subquery(latest_rank.values("ranking__period")[:1]),
        )
        .order_by("-score", "township__code")
    )
    tracks = list(
        TrackStanding.objects.filter(township_filter(user, prefix="township__"), county=county).by_track()
    )
    return {
        "totals": standings.totals(),
        "townships": townships,
        "tracks": tracks,
        "track_chart": paired_bars(
            tracks, label_key="track__name", actual_key="percent", expected_key="expected_percent"
        ),
        "flags": list(
            RedFlag.objects.filter(county=county)
            .select_related("holder", "previous_holder")
            .order_by("-period")[:12]
        ),
        "map": warning_map(user, county),
        "map_county": county,
    }


def township_panel_context(township) -> dict | None:
    """The township page panel: its colour, per-track actual vs expected, and its colour history."""
    standing = TownshipStanding.objects.filter(township=township).first()
    if standing is None:
        return None
    tracks = list(
        TrackStanding.objects.filter(township=township, target__isnull=False)
        .select_related("track")
        .order_by("track__position")
        .values("track__name", "percent", "expected_percent", "target_quantity", "done_quantity")
    )
    history = list(
        WarningSnapshot.objects.filter(township=township)
        .order_by("-period")
        .values("period", "colour", "percent", "expected_percent", "score")[:6]
    )
    return {
        "standing": standing,
        "tracks": tracks,
        "chart": paired_bars(
            tracks, label_key="track__name", actual_key="percent", expected_key="expected_percent"
        ),
        "history": history,
    }
