"""Hand-computed progress, colours, scores, ranking order, frozen periods and the red flag."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Avg, Count, Q

from inspections.choices import FindingStatus
from standings.models import Ranking, RankingEntry, RedFlag, TownshipStanding, TrackStanding, WarningSnapshot
from standings.services import WorkflowError, ranking_compute, ranking_publish, standings_refresh
from tests.factories import CountyFactory, ProgressReportFactory
from tests.standings.factories import AS_OF, finding, township_with_progress

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def board(lishui):
    """Four townships of one county; expected progress on AS_OF is exactly 50 %.

    A: 50/100  = 50 %, gap 0,   one overdue open finding + one closed  -> yellow (overdue), score 70 + 15 - 1 = 84
    B: 70/200  = 35 %, gap 15                                          -> yellow, score 0.7*85 + 30 = 89.5
    C: 2/10    = 20 %, gap 30,  one open finding not yet due (closure 0) -> red,   score 0.7*70 + 0 = 49
    D: 60/100  = 60 %, gap -10                                         -> blue,   score 0.7*110 + 30 = 107
    """
    county = CountyFactory(code="339901", name="测试县")
    t = {
        "A": township_with_progress(county, quantity=100, done=50, code="339901101", name="甲镇"),
        "B": township_with_progress(county, quantity=200, done=70, code="339901102", name="乙镇"),
        "C": township_with_progress(county, quantity=10, done=2, code="339901103", name="丙镇"),
        "D": township_with_progress(county, quantity=100, done=60, code="339901104", name="丁镇"),
    }
    finding(t["A"])
    finding(t["A"], status=FindingStatus.CLOSED)
    finding(t["C"], deadline=AS_OF + datetime.timedelta(days=5))  # open, not overdue
    t["county"] = county
    return t


def _standing(township):
    return TownshipStanding.objects.get(township=township)


def test_hand_computed_progress_colours_and_scores(board):
    standings_refresh(as_of=AS_OF)
    expected = {
        "A": ("50.00", "50.00", "0.00", "yellow", "84.00", 1, 1),
        "B": ("35.00", "50.00", "15.00", "yellow", "89.50", 0, 0),
        "C": ("20.00", "50.00", "30.00", "red", "49.00", 1, 0),
        "D": ("60.00", "50.00", "-10.00", "blue", "107.00", 0, 0),
    }
    for key, (pct, exp, gap, colour, score, open_, overdue) in expected.items():
        s = _standing(board[key])
        assert (s.percent, s.expected_percent, s.gap) == (Decimal(pct), Decimal(exp), Decimal(gap)), key
        assert s.colour == colour, key
        assert s.score == Decimal(score), key
        assert (s.open_findings, s.overdue_findings) == (open_, overdue), key
    assert _standing(board["A"]).closure_rate == Decimal("50.00")
    assert _standing(board["D"]).closure_rate is None


def test_colours_and_scores_follow_the_settings(board, settings):
    # The thresholds and weights live only in settings: changing them there changes the board.
    settings.STANDINGS_WARNING = {**settings.STANDINGS_WARNING, "RED_GAP": 15}
    settings.STANDINGS_WEIGHTS = {**settings.STANDINGS_WEIGHTS, "PROGRESS": "1", "CLOSURE": "0"}
    standings_refresh(as_of=AS_OF)
    assert _standing(board["B"]).colour == "red"  # gap 15 reaches RED_GAP
    assert _standing(board["A"]).score == Decimal("99.00")  # 100 - 1 overdue
    assert _standing(board["D"]).score == Decimal("110.00")


def test_expected_percent_is_linear_and_capped(board):
    standings_refresh(as_of=datetime.date(2025, 12, 1))
    assert _standing(board["A"]).expected_percent == Decimal("0.00")
    standings_refresh(as_of=datetime.date(2026, 1, 31))  # 30 of 120 days
    assert _standing(board["A"]).expected_percent == Decimal("25.00")
    standings_refresh(as_of=datetime.date(2026, 6, 1))
    assert _standing(board["A"]).expected_percent == Decimal("100.00")


def test_done_caps_at_100_and_reports_after_as_of_are_ignored(board):
    target = board["D"].targets.get()
    ProgressReportFactory(
        target=target, reported_on=AS_OF + datetime.timedelta(days=3), cumulative_quantity=150
    )
    standings_refresh(as_of=AS_OF)
    assert _standing(board["D"]).percent == Decimal("60.00")
    standings_refresh(as_of=AS_OF + datetime.timedelta(days=3))
    assert _standing(board["D"]).percent == Decimal("100.00")


def test_summary_matches_live_aggregate(many_townships, board):
    """The summary table agrees with the same numbers computed live from targets and reports."""
    many_townships(30)
    standings_refresh(as_of=AS_OF)
    from townships.models import Target

    live = {}
    for target in Target.objects.with_latest_progress().select_related("township"):
        # every report in these fixtures is dated before AS_OF, so "latest" is the as-of value
        pct = min(Decimal(100), (target.done_quantity * 100 / target.quantity).quantize(Decimal("0.01")))
        live.setdefault(target.township_id, []).append(pct)
    summary = dict(
        TownshipStanding.objects.filter(township_id__in=live).values_list("township_id", "percent")
    )
    for township_id, pcts in live.items():
        assert summary[township_id] == (sum(pcts) / len(pcts)).quantize(Decimal("0.01"))
    # findings: the summary's open/overdue counts equal a live count over the findings table
    from inspections.models import Finding

    live_findings = (
        Finding.objects.listed()
        .values("township")
        .annotate(
            open=Count("pk", filter=~Q(status="closed")),
            overdue=Count("pk", filter=Q(deadline__lt=AS_OF) & ~Q(status="closed")),
        )
    )
    for row in live_findings:
        s = TownshipStanding.objects.get(township_id=row["township"])
        assert (s.open_findings, s.overdue_findings) == (row["open"], row["overdue"])
    # the track rows add up to the township row
    agg = TrackStanding.objects.filter(township=board["A"], target__isnull=False).aggregate(p=Avg("percent"))
    assert agg["p"] == _standing(board["A"]).percent


def test_refresh_of_some_townships_leaves_others(board):
    standings_refresh(as_of=AS_OF)
    ProgressReportFactory(target=board["C"].targets.get(), reported_on=AS_OF, cumulative_quantity=10)
    standings_refresh(township_ids=[board["D"].pk], as_of=AS_OF)
    assert _standing(board["C"]).percent == Decimal("20.00")
    standings_refresh(township_ids=[board["C"].pk], as_of=AS_OF)
    assert _standing(board["C"]).percent == Decimal("100.00")
    assert TownshipStanding.objects.filter(township__county=board["county"]).count() == 4


def test_ranking_order_within_county_and_category(board):
    standings_refresh(as_of=AS_OF)
    ranking = ranking_compute(period="2026-03")
    order = list(
        RankingEntry.objects.filter(ranking=ranking, county=board["county"])
        .order_by("county_rank")
        .values_list("township__name", "county_rank")
    )
    assert order == [("丁镇", 1), ("乙镇", 2), ("甲镇", 3), ("丙镇", 4)]
    assert ranking.status == "draft"


def test_published_period_is_frozen(board, users):
    standings_refresh(as_of=AS_OF)
    ranking_compute(period="2026-03")
    ranking = ranking_publish(period="2026-03", by=users["city_office"])
    assert ranking.status == "published"
    before = list(
        WarningSnapshot.objects.filter(period="2026-03").values_list(
            "township_id", "colour", "percent", "score"
        )
    )
    ranks = list(
        RankingEntry.objects.filter(ranking=ranking).values_list("township_id", "county_rank", "score")
    )
    # C catches up completely: the live summary changes, the published period does not
    ProgressReportFactory(target=board["C"].targets.get(), reported_on=AS_OF, cumulative_quantity=10)
    standings_refresh(as_of=AS_OF)
    assert _standing(board["C"]).colour == "blue"
    with pytest.raises(WorkflowError):
        ranking_compute(period="2026-03")
    with pytest.raises(WorkflowError):
        ranking_publish(period="2026-03", by=users["city_office"])
    after = list(
        WarningSnapshot.objects.filter(period="2026-03").values_list(
            "township_id", "colour", "percent", "score"
        )
    )
    assert before == after
    assert ranks == list(
        RankingEntry.objects.filter(ranking=ranking).values_list("township_id", "county_rank", "score")
    )


def test_only_city_office_publishes(board, users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ranking_publish(period="2026-03", by=users["county_official"])
    assert not Ranking.objects.filter(status="published").exists()


def test_red_flag_moves_to_new_leader_and_stays_otherwise(board, users, monkeypatch):
    import standings.services as services

    # publish refreshes with today's date; pin it to AS_OF so the hand-computed numbers hold
    monkeypatch.setattr(services, "localdate", lambda: AS_OF)
    ranking_publish(period="2026-03", by=users["city_office"])
    flag = RedFlag.objects.get(period="2026-03", county=board["county"])
    assert (flag.holder, flag.previous_holder) == (board["D"], None)

    # April: nobody overtakes D (B reaches the same score as D: a tie keeps the flag with D)
    ProgressReportFactory(target=board["B"].targets.get(), reported_on=AS_OF, cumulative_quantity=120)
    ranking_publish(period="2026-04", by=users["city_office"])
    flag = RedFlag.objects.get(period="2026-04", county=board["county"])
    assert RankingEntry.objects.get(ranking__period="2026-04", township=board["B"]).county_rank == 1
    assert (flag.holder, flag.previous_holder, flag.moved) == (board["D"], board["D"], False)

    # May: B pulls ahead and takes the flag
    ProgressReportFactory(target=board["B"].targets.get(), reported_on=AS_OF, cumulative_quantity=200)
    ranking_publish(period="2026-05", by=users["city_office"])
    flag = RedFlag.objects.get(period="2026-05", county=board["county"])
    assert (flag.holder, flag.previous_holder, flag.moved) == (board["B"], board["D"], True)


def test_publishing_out_of_order_is_refused(board, users):
    ranking_publish(period="2026-05", by=users["city_office"])
    with pytest.raises(WorkflowError):
        ranking_publish(period="2026-04", by=users["city_office"])


def test_bad_period_is_refused(board):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ranking_compute(period="2026-13")


def _card(township, user, level="warning"):
    from inspections.models import YellowCard

    return YellowCard.objects.create(
        township=township,
        level=level,
        reason="进度滞后",
        issued_by=user,
        outlet="丽水日报" if level != "warning" else "",
    )


def test_active_yellow_card_colours_and_costs_points(board, users):
    _card(board["D"], users["city_office"])
    _card(board["B"], users["city_office"], level="media")
    standings_refresh(as_of=AS_OF)
    d, b = _standing(board["D"]), _standing(board["B"])
    assert (d.active_yellow_cards, d.yellow_card_level, d.colour) == (1, "warning", "yellow")
    assert d.score == Decimal("97.00")  # 107 - 10 for the card
    assert (b.yellow_card_level, b.colour) == ("media", "red")
    assert _standing(board["A"]).active_yellow_cards == 0


def test_lifted_card_no_longer_counts(board, users):
    from django.utils import timezone

    card = _card(board["D"], users["city_office"])
    card.status, card.lifted_at = "lifted", timezone.now()
    card.save(update_fields=["status", "lifted_at"])
    standings_refresh(as_of=AS_OF)
    assert (_standing(board["D"]).active_yellow_cards, _standing(board["D"]).colour) == (0, "blue")


def test_milestones_bend_the_expected_line(board):
    """START → DUE is 120 days; a milestone of 20 % on day 60 (AS_OF) makes the plan back-loaded."""
    from standings.models import TargetMilestone

    target = board["A"].targets.get()
    TargetMilestone.objects.create(target=target, due_date=AS_OF, expected_percent=20)
    for day, expected in [
        (datetime.date(2026, 1, 31), "10.00"),  # day 30: halfway from (start, 0) to (milestone, 20)
        (AS_OF, "20.00"),
        (datetime.date(2026, 4, 1), "60.00"),  # day 90: halfway from (milestone, 20) to (due, 100)
        (datetime.date(2026, 5, 1), "100.00"),
    ]:
        standings_refresh(as_of=day)
        assert _standing(board["A"]).expected_percent == Decimal(expected), day
    standings_refresh(as_of=AS_OF)
    # A is 50 % done against 20 % expected; B (no milestone) still expects 50 %
    assert (_standing(board["A"]).gap, _standing(board["B"]).expected_percent) == (
        Decimal("-30.00"),
        Decimal("50.00"),
    )


def test_milestone_after_the_due_date_is_refused(board):
    from django.core.exceptions import ValidationError

    from standings.models import TargetMilestone

    milestone = TargetMilestone(
        target=board["A"].targets.get(), due_date=datetime.date(2026, 6, 1), expected_percent=50
    )
    with pytest.raises(ValidationError):
        milestone.full_clean()
