"""Writes for standings: the set-based summary refresh, period snapshots, ranking and the red flag.

Views, API, the management command and the Celery task all call these functions.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from inspections.choices import LEVEL_ORDER, FindingStatus
from inspections.models import Finding, YellowCard
from inspections.querysets import overdue_q
from townships.choices import Role
from townships.models import ProgressReport, Target, Township, Track
from townships.scope import user_scope

from .choices import RankingStatus, WarningColour
from .conf import programme_start, ranking_weights, warning_rules
from .models import (
    Ranking,
    RankingEntry,
    RedFlag,
    StaleTownship,
    TargetMilestone,
    TownshipStanding,
    TrackStanding,
    WarningSnapshot,
    period_validator,
)

PCT = DecimalField(max_digits=7, decimal_places=2)
REFRESH_LOCK = 6_006_001  # pg advisory lock key of standings_refresh
SCORE = DecimalField(max_digits=9, decimal_places=2)


class WorkflowError(ValidationError):
    """An action that the current state does not allow; the message says why."""


def period_of(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _days_between(start_sql: str, end_sql: str) -> str:
    """Whole days from start to end as SQL."""
    return f"(({end_sql})::date - ({start_sql})::date)"


def _in_ids(column: str, ids: list[int] | None) -> tuple[str, list]:
    if ids is None:
        return "1 = 1", []
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _finding_counts(as_of: datetime.date, *, by_track: bool) -> tuple[str, list]:
    """Listed findings counted per township (and track), as SQL for a derived table."""
    closed = Q(status=FindingStatus.CLOSED)
    keys = {"tid": F("township_id")}
    if by_track:
        keys["kid"] = F("track_id")
    qs = (
        Finding.objects.listed()
        .order_by()
        .values(**keys)
        .annotate(
            total_n=Count("pk"),
            closed_n=Count("pk", filter=closed),
            open_n=Count("pk", filter=~closed),
            overdue_n=Count("pk", filter=overdue_q(as_of)),
        )
        .values(*keys, "total_n", "closed_n", "open_n", "overdue_n")
    )
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _active_cards() -> tuple[str, list]:
    """Active yellow cards per township with the highest level's rank (1 = warning), as SQL."""
    rank = Case(
        *[When(level=level, then=Value(i)) for i, level in enumerate(LEVEL_ORDER, start=1)],
        default=Value(0),
        output_field=IntegerField(),
    )
    qs = (
        YellowCard.objects.active()
        .order_by()
        .values(tid=F("township_id"))
        .annotate(n=Count("pk"), lvl=Max(rank))
        .values("tid", "n", "lvl")
    )
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def _level_sql(rank_sql: str) -> str:
    whens = " ".join(f"WHEN {i} THEN '{level}'" for i, level in enumerate(LEVEL_ORDER, start=1))
    return f"CASE {rank_sql} {whens} ELSE '' END"


@transaction.atomic
def standings_refresh(*, township_ids: list[int] | None = None, as_of: datetime.date | None = None) -> int:
    """Rebuild the summary rows (all townships, or those given) in a few set-based statements."""
    as_of = as_of or localdate()
    now = timezone.now()
    ids = sorted(set(township_ids)) if township_ids is not None else None
    township, track, target, report = (_table(m) for m in (Township, Track, Target, ProgressReport))
    track_standing, township_standing = _table(TrackStanding), _table(TownshipStanding)
    day = as_of
    where_t, where_params = _in_ids("t.id", ids)
    where_s, _p = _in_ids("township_id", ids)

    with connection.cursor() as cursor:
        # Two refreshes at once (beat, "refresh now", a publication) would both delete and then
        # both insert the same rows; the second waits here until the first commits.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
        if ids is None:  # every township: the stale marks committed so far are answered too
            cursor.execute(f"DELETE FROM {_table(StaleTownship)} WHERE marked_at <= %s", [now])  # noqa: S608
        cursor.execute(f"DELETE FROM {track_standing} WHERE {where_s}", where_params)  # noqa: S608
        findings_sql, findings_params = _finding_counts(as_of, by_track=True)
        # Every township × track gets a row, with or without a target, so findings of a
        # track without a target still count; done = the latest report on or before as_of.
        cursor.execute(
            f"""
            INSERT INTO {track_standing} (township_id, county_id, track_id, target_id, start_date, due_date,
                target_quantity, done_quantity, open_findings, overdue_findings, refreshed_at)
            SELECT t.id, t.county_id, k.id, g.id, CASE WHEN g.id IS NULL THEN NULL ELSE COALESCE(g.start_date, %s) END,
                g.due_date, g.quantity,
                CASE WHEN g.id IS NULL THEN NULL ELSE COALESCE((
                    SELECT p.cumulative_quantity FROM {report} p
                    WHERE p.target_id = g.id AND p.reported_on <= %s
                    ORDER BY p.reported_on DESC, p.id DESC LIMIT 1), 0) END,
                COALESCE(f.open_n, 0), COALESCE(f.overdue_n, 0), %s
            FROM {township} t CROSS JOIN {track} k
            LEFT JOIN {target} g ON g.township_id = t.id AND g.track_id = k.id
            LEFT JOIN ({findings_sql}) f ON f.tid = t.id AND f.kid = k.id
            WHERE {where_t}
            """,  # noqa: S608
            [programme_start(), day, now, *findings_params, *where_params],
        )
        # Expected progress is linear from the start (the target's, else the programme's) to the due
        # date, through the target's schedule milestones when it has some: find the points just before
        # and after as_of — (start, 0 %), milestones, (due, 100 %) — and interpolate between them.
        milestone, own = _table(TargetMilestone), f"m.target_id = {track_standing}.target_id"

        def around(select: str, op: str, order: str, default: str) -> str:
            where = f"{own} AND m.due_date {op} %(day)s"
            return f"COALESCE((SELECT {select} FROM {milestone} m WHERE {where}{order}), {default})"  # noqa: S608

        prev_date = around("MAX(m.due_date)", "<=", "", "start_date")
        prev_pct = around("m.expected_percent", "<=", " ORDER BY m.due_date DESC LIMIT 1", "0")
        next_date = around("MIN(m.due_date)", ">", "", "due_date")
        next_pct = around("m.expected_percent", ">", " ORDER BY m.due_date ASC LIMIT 1", "100")
        elapsed, span = _days_between(prev_date, "%(day)s"), _days_between(prev_date, next_date)
        named_ids = {f"id{i}": pk for i, pk in enumerate(ids or [])}
        where_named = (
            "1 = 1"
            if ids is None
            else (f"township_id IN ({', '.join(f'%({k})s' for k in named_ids)})" if ids else "1 = 0")
        )
        cursor.execute(
            f"""
            UPDATE {track_standing} SET
                percent = CASE WHEN target_quantity > 0 THEN
                    CASE WHEN done_quantity >= target_quantity THEN 100
                         ELSE ROUND(done_quantity * 100.0 / target_quantity, 2) END END,
                expected_percent = CASE WHEN due_date IS NULL THEN NULL
                    WHEN %(day)s >= due_date THEN 100
                    WHEN %(day)s <= start_date THEN 0
                    ELSE ROUND({prev_pct} + ({next_pct} - {prev_pct}) * {elapsed} * 1.0 / {span}, 2) END
            WHERE {where_named}
            """,  # noqa: S608
            {"day": day, **named_ids},
        )
        cursor.execute(f"DELETE FROM {township_standing} WHERE {where_s}", where_params)  # noqa: S608
        findings_sql, findings_params = _finding_counts(as_of, by_track=False)
        cards_sql, cards_params = _active_cards()
        card_level = _level_sql("MAX(y.lvl)")
        cursor.execute(
            f"""
            INSERT INTO {township_standing} (township_id, county_id, category, target_count, target_quantity,
                done_quantity, percent_sum, expected_sum, percent, expected_percent, gap, open_findings,
                overdue_findings, closed_findings, total_findings, closure_rate, active_yellow_cards,
                yellow_card_level, colour, score, refreshed_at)
            SELECT t.id, t.county_id, t.category, COUNT(s.target_id), COALESCE(SUM(s.target_quantity), 0),
                COALESCE(SUM(s.done_quantity), 0), COALESCE(SUM(s.percent), 0), COALESCE(SUM(s.expected_percent), 0),
                ROUND(AVG(s.percent), 2), ROUND(AVG(s.expected_percent), 2), 0,
                COALESCE(MAX(f.open_n), 0), COALESCE(MAX(f.overdue_n), 0), COALESCE(MAX(f.closed_n), 0),
                COALESCE(MAX(f.total_n), 0), NULL, COALESCE(MAX(y.n), 0), {card_level}, %s, 0, %s
            FROM {township} t
            LEFT JOIN {track_standing} s ON s.township_id = t.id
            LEFT JOIN ({findings_sql}) f ON f.tid = t.id
            LEFT JOIN ({cards_sql}) y ON y.tid = t.id
            WHERE {where_t}
            GROUP BY t.id, t.county_id, t.category
            """,  # noqa: S608
            [WarningColour.BLUE.value, now, *findings_params, *cards_params, *where_params],
        )
    rows = (
        TownshipStanding.objects.all()
        if ids is None
        else TownshipStanding.objects.filter(township_id__in=ids)
    )
    rows.update(
        gap=Coalesce(F("expected_percent") - F("percent"), Value(Decimal(0)), output_field=PCT),
        closure_rate=Case(
            When(
                total_findings__gt=0,
                then=ExpressionWrapper(
                    F("closed_findings") * Decimal("100.0") / F("total_findings"), output_field=PCT
                ),
            ),
            default=None,
            output_field=PCT,
        ),
    )
    rules, weights = warning_rules(), ranking_weights()
    return rows.update(
        colour=Case(
            When(
                Q(gap__gte=rules.red_gap)
                | Q(overdue_findings__gte=rules.red_overdue)
                | Q(yellow_card_level__in=rules.red_card_levels),
                then=Value(WarningColour.RED.value),
            ),
            When(
                Q(gap__gte=rules.yellow_gap)
                | Q(overdue_findings__gte=rules.yellow_overdue)
                | Q(active_yellow_cards__gte=rules.yellow_cards_for_yellow),
                then=Value(WarningColour.YELLOW.value),
            ),
            default=Value(WarningColour.BLUE.value),
        ),
        # Points against plan (100 on schedule, more when ahead), closure rate (100 with no
        # findings), minus a fixed penalty per overdue item and per active yellow card.
        score=ExpressionWrapper(
            Value(weights.progress) * Greatest(Value(Decimal(100)) - F("gap"), Value(Decimal(0)))
            + Value(weights.closure) * Coalesce(F("closure_rate"), Value(Decimal(100)))
            - Value(weights.overdue) * F("overdue_findings")
            - Value(weights.yellow_card) * F("active_yellow_cards"),
            output_field=SCORE,
        ),
    )


def _lock_draft_ranking(period: str) -> Ranking:
    Ranking.objects.get_or_create(period=period)
    ranking = Ranking.objects.select_for_update().get(period=period)
    if ranking.status == RankingStatus.PUBLISHED:
        raise WorkflowError(
            _("The ranking of %(period)s is published; its rows can no longer change.") % {"period": period}
        )
    return ranking


@transaction.atomic
def ranking_compute(*, period: str) -> Ranking:
    """Snapshot every programme township's standing into `period` and rank it (draft only)."""
    period_validator(period)
    ranking = _lock_draft_ranking(period)
    now = timezone.now()
    RankingEntry.objects.filter(ranking=ranking).delete()
    WarningSnapshot.objects.filter(period=period).delete()
    snapshot, standing, township, entry = (
        _table(m) for m in (WarningSnapshot, TownshipStanding, Township, RankingEntry)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {snapshot} (period, township_id, county_id, category, colour, target_count, percent,
                expected_percent, gap, open_findings, overdue_findings, closure_rate, active_yellow_cards,
                yellow_card_level, score, taken_at)
            SELECT %s, s.township_id, s.county_id, s.category, s.colour, s.target_count, s.percent,
                s.expected_percent, s.gap, s.open_findings, s.overdue_findings, s.closure_rate,
                s.active_yellow_cards, s.yellow_card_level, s.score, %s
            FROM {standing} s JOIN {township} t ON t.id = s.township_id
            WHERE t.in_programme
            """,  # noqa: S608
            [period, now],
        )
        # Ties share a rank (RANK()); the red flag's tie rule lives in ranking_publish.
        cursor.execute(
            f"""
            INSERT INTO {entry} (ranking_id, snapshot_id, township_id, county_id, category, score,
                county_rank, category_rank)
            SELECT %s, w.id, w.township_id, w.county_id, w.category, w.score,
                RANK() OVER (PARTITION BY w.county_id ORDER BY w.score DESC),
                RANK() OVER (PARTITION BY w.category ORDER BY w.score DESC)
            FROM {snapshot} w WHERE w.period = %s
            """,  # noqa: S608
            [ranking.pk, period],
        )
    ranking.computed_at = now
    ranking.save(update_fields=["computed_at"])
    return ranking


def _award_red_flags(ranking: Ranking, now) -> list[RedFlag]:
    leaders: dict[int, list[RankingEntry]] = {}
    for entry in ranking.entries.filter(county_rank=1).order_by("county_id", "township__code"):
        leaders.setdefault(entry.county_id, []).append(entry)
    previous = _latest_flags(ranking.period, list(leaders))
    flags = []
    for county_id, top in leaders.items():
        before = previous.get(county_id)
        # The holder keeps the flag unless someone scores strictly higher (a tie does not overtake).
        keep = before is not None and any(e.township_id == before.holder_id for e in top)
        holder = next(e for e in top if e.township_id == before.holder_id) if keep else top[0]
        flags.append(
            RedFlag(
                period=ranking.period,
                county_id=county_id,
                holder_id=holder.township_id,
                previous_holder_id=before.holder_id if before else None,
                score=holder.score,
                awarded_at=now,
            )
        )
    return RedFlag.objects.bulk_create(flags)


def _latest_flags(period: str, county_ids: list[int]) -> dict[int, RedFlag]:
    # A few rows per county and month: reading them all beats a per-database DISTINCT ON.
    latest: dict[int, RedFlag] = {}
    for flag in RedFlag.objects.filter(period__lt=period, county_id__in=county_ids).order_by("-period"):
        latest.setdefault(flag.county_id, flag)
    return latest


def ranking_city_ids() -> set[int]:
    """A ranking's scope: the cities of the townships it ranks (every township in the programme)."""
    return set(
        Township.objects.filter(in_programme=True)
        .order_by()
        .values_list("county__city_id", flat=True)
        .distinct()
    )


def can_publish_ranking(user) -> bool:
    """The city office of the one city ranked; a ranking over several cities is the province office's."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = user_scope(user).roles
    cities = ranking_city_ids()
    if len(cities) > 1:
        return Role.PROVINCE in roles
    office_cities = roles.get(Role.CITY_OFFICE, (frozenset(),))[0]
    # An empty programme ranks nobody: any city office may try, and is told there is nothing to rank.
    return bool(office_cities) and cities <= office_cities


def ensure_can_publish_ranking(user) -> None:
    """The one guard of publishing (and of refreshing the draft): pages answer 404, nothing changes."""
    if not can_publish_ranking(user):
        raise PermissionDenied(_("Only the city office of the city ranked publishes its ranking."))


@transaction.atomic
def ranking_publish(*, period: str, by) -> Ranking:
    """Refresh, rank and freeze `period`, and hand each county's red flag to its leader."""
    ensure_can_publish_ranking(by)
    _lock_draft_ranking(period)
    if Ranking.objects.filter(period__gt=period, status=RankingStatus.PUBLISHED).exists():
        raise WorkflowError(_("A later period is already published; publish periods in order."))
    standings_refresh()
    ranking = ranking_compute(period=period)
    if not ranking.entries.exists():
        raise WorkflowError(_("There is nothing to rank: no township in the programme."))
    now = timezone.now()
    _award_red_flags(ranking, now)
    ranking.status, ranking.published_at, ranking.published_by = RankingStatus.PUBLISHED, now, by
    ranking.save(update_fields=["status", "published_at", "published_by"])
    return ranking


def standings_ensure() -> int:
    """Compute the summary rows when there are none yet (a new install), so no page or API reads empty.

    Called after migrate and by the readers that find the summary empty; 0 when nothing was to do.
    """
    if TownshipStanding.objects.exists() or not Township.objects.exists():
        return 0
    return standings_refresh()


def standings_refresh_and_snapshot(*, as_of: datetime.date | None = None) -> str | None:
    """The periodic job: refresh the summary, then re-snapshot the current period unless it is published."""
    as_of = as_of or localdate()
    standings_refresh(as_of=as_of)
    period = period_of(as_of)
    if Ranking.objects.filter(period=period, status=RankingStatus.PUBLISHED).exists():
        return None
    ranking_compute(period=period)
    return period
