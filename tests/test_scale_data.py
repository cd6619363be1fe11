"""generate_scale_data: deterministic province-scale data (issue 8), here at a small size."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inspections.models import Finding, YellowCard
from projects.models import Expenditure, Funding, Project
from projects.querysets import live_money_totals
from standings.models import Ranking, TownshipStanding
from townships.models import City, ProgressReport, Target, Township

pytestmark = [pytest.mark.django_db]

SMALL = {"cities": 2, "towns": 200, "years": 1, "seed": 1, "projects": 60, "findings": 400}


def test_small_run_fills_every_part_and_refuses_a_second_run():
    out = StringIO()
    call_command("generate_scale_data", stdout=out, **SMALL)
    assert City.objects.count() == 2 and Township.objects.count() == 200
    assert Target.objects.count() == 200 * 6 and ProgressReport.objects.exists()
    assert Project.objects.count() == 60 and Finding.objects.count() == 400
    assert Funding.objects.count() >= 60 and Expenditure.objects.exists()
    # the stored money totals are the sums of the bulk-inserted rows
    live = live_money_totals()
    rows = Project.objects.annotate(live_funding=live["funding_total"], live_spent=live["spent_total"])
    for project in rows.values("funding_total", "spent_total", "live_funding", "live_spent"):
        assert (project["funding_total"], project["spent_total"]) == (
            project["live_funding"],
            project["live_spent"],
        )
    assert YellowCard.objects.exists() and TownshipStanding.objects.count() == 200
    assert Ranking.objects.filter(published_at__isnull=False).count() == 1
    assert "total:" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("generate_scale_data", stdout=StringIO(), **SMALL)
