"""The acceptance app's on-site scoring screen on a 360 px phone in Chromium: one track per screen, thumb-sized targets."""

from pathlib import Path

import pytest

from acceptance.models import Review
from acceptance.services.applications import application_create
from acceptance.services.reviews import review_schedule
from tests.acceptance.factories import make_scheme, plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "shots"


def test_scoring_on_a_phone(browser_page, live_server, users, lishui, axe):
    from decimal import Decimal

    from townships.models import Township

    scheme = make_scheme()
    township = Township.objects.get(code="331102100")
    plan(township, users["city_office"])
    app = application_create(
        by=users["township_staff"], township=township, year=2026, round="mid_year", self_score=Decimal("88")
    )
    review = review_schedule(
        application_id=app.pk, by=users["county_official"], level="county", reviewed_on="2026-06-01"
    )

    phone = browser_page(users["county_official"], width=360, height=740)
    phone.goto(f"{live_server.url}/acceptance/reviews/{review.pk}/score/?track=sanitation")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    b1 = scheme.items.get(code="B1")
    plus = phone.locator(f"fieldset:has(input[name='i{b1.pk}-deductions']) [data-step='1']")
    box = plus.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # a thumb's target
    plus.click()
    plus.click()
    assert phone.input_value(f"input[name='i{b1.pk}-deductions']") == "2"
    phone.fill(f"textarea[name='i{b1.pk}-note']", "集镇东侧垃圾堆放两处")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "acceptance-scoring-360.png"), full_page=True)
    assert axe(phone) == []
    # the form is an offline one (docs/offline.md): the outbox sends it, then follows the redirect
    with phone.expect_response(lambda r: r.request.method == "POST" and "/score/" in r.url) as sent:
        phone.locator("button[name=save]").click()
    assert sent.value.status in (200, 302)
    phone.wait_for_url("**/score/?track=sanitation")
    score = Review.objects.get(pk=review.pk).scores.get(item=b1)
    assert score.points == Decimal("18") and score.finding is not None
    assert score.finding.source == "acceptance"
