"""The total is computed from the items and the weights; a veto item fails whatever the total."""

from decimal import Decimal

import pytest

from acceptance.scoring import compute_total
from acceptance.services.applications import application_create, application_resubmit
from acceptance.services.reviews import review_record

from .factories import plan

pytestmark = [pytest.mark.django_db]


def _scores(scheme, **points):
    items = {i.code: i for i in scheme.items.all()}
    return items, [{"item": items[code].pk, **value} for code, value in points.items()]


def test_hand_computed_total_and_veto(users, township, scheme):
    plan(township, users["city_office"])
    app = application_create(
        by=users["township_staff"], township=township, year=2026, round="mid_year", self_score=Decimal("90")
    )
    items, scores = _scores(
        scheme,
        A1={"deductions": 2},  # 10 − 2×2 = 6
        A2={"points": Decimal("10")},
        B1={"deductions": 25},  # 扣完为止: 0, never negative
        B2={"points": Decimal("27.5")},
        C1={"points": Decimal("8")},
        D1={"points": Decimal("9")},
        V1={"vetoed": False},
    )
    # ledger 16/20 × 30 = 24; site 27.5/50 × 50 = 27.5; report 8/10 × 10 = 8; office 9/10 × 10 = 9 → 68.5
    review = review_record(
        application_id=app.pk,
        by=users["county_official"],
        level="county",
        reviewed_on="2026-06-01",
        scores=scores,
    )
    assert review.total == Decimal("68.50") and not review.vetoed and review.result == "fail"
    assert review.scores.get(item__code="B1").points == Decimal("0")

    leaf = [i for i in items.values() if i.code != "A"]
    weights = {"report": 10, "ledger": 30, "site": 50, "office": 10}
    full = {i.pk: (i.max_points, False) for i in leaf}
    assert compute_total(items=leaf, weights=weights, scores=full).total == Decimal("100.00")
    vetoed = {**full, items["V1"].pk: (Decimal("0"), True)}
    result = compute_total(items=leaf, weights=weights, scores=vetoed)
    assert result.total == Decimal("100.00") and result.vetoed

    application_resubmit(application_id=app.pk, by=users["township_staff"])
    full_scores = [
        {"item": pk, "points": points}
        for pk, (points, _v) in full.items()
        if pk not in (items["A1"].pk, items["B1"].pk, items["V1"].pk)
    ]
    full_scores += [
        {"item": items["A1"].pk},
        {"item": items["B1"].pk},
        {"item": items["V1"].pk, "vetoed": True, "note": "安全事故"},
    ]
    review = review_record(
        application_id=app.pk,
        by=users["county_official"],
        level="county",
        reviewed_on="2026-06-02",
        scores=full_scores,
    )
    assert review.total == Decimal("100.00") and review.vetoed and review.result == "fail"
    assert review.scores.get(item__code="V1").finding is not None  # a veto with a note is on the list too


def test_no_pass_mark_no_score(users, township, lishui):
    from .factories import make_scheme

    scheme = make_scheme(pass_mark=None)
    plan(township, users["city_office"])
    app = application_create(
        by=users["township_staff"], township=township, year=2026, round="mid_year", self_score=Decimal("90")
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="达标线|pass mark"):
        review_record(
            application_id=app.pk,
            by=users["county_official"],
            level="county",
            reviewed_on="2026-06-01",
            scores=[{"item": i.pk} for i in scheme.items.filter(children__isnull=True)],
        )
