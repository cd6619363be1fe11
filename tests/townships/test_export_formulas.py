"""Issue 15 (4): text typed by a user never becomes a formula in any .xlsx export (OWASP formula injection).

Each export is fetched through HTTP and opened with openpyxl: the cell holding the user's text is a
string cell showing that text behind a single quote, never a formula; numbers stay numbers.
"""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.xlsx import neutralise
from tests.factories import ProgressReportFactory, TargetFactory
from tests.inspections.factories import FindingFactory
from tests.projects.factories import HouseholdFactory, ProjectFactory

pytestmark = [pytest.mark.django_db]

ATTACK = "=cmd|' /C calc'!A0"


def _cells(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def _text(value: str) -> str:
    # A control character is stored as its OOXML escape (_x000D_ for \r), which Excel reads back as
    # the character; openpyxl leaves the escape as it is.
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def _assert_neutralised(response, attack=ATTACK):
    cells = _cells(response)
    hits = [c for c in cells if isinstance(c.value, str) and attack in _text(c.value)]
    assert hits, "the attack text is missing from the export"
    for cell in hits:
        assert cell.data_type == "s", (cell.coordinate, cell.data_type)
        assert _text(cell.value) == "'" + attack
    assert not [c for c in cells if c.data_type == "f"]
    return cells


def _rename(township, name):
    type(township).objects.filter(pk=township.pk).update(name=name)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_findings_export_neutralises_every_formula_start(client_as, users, township, start):
    attack = start + 'HYPERLINK("http://evil.invalid","点这里")'
    FindingFactory(township=township, description=attack)
    _assert_neutralised(client_as(users["city_office"]).get("/inspections/findings/export/"), attack)


def test_findings_export_keeps_plain_text_and_numbers(client_as, users, township):
    finding = FindingFactory(township=township, description="沿街立面破损 = 3 处")
    cells = _cells(client_as(users["city_office"]).get("/inspections/findings/export/"))
    assert "沿街立面破损 = 3 处" in [c.value for c in cells]  # only a leading sign is touched
    number = next(c for c in cells if c.value == finding.pk and c.column == 1)
    assert number.data_type == "n"


def test_projects_export(client_as, users, township):
    ProjectFactory(township=township, name=ATTACK)
    _assert_neutralised(client_as(users["city_office"]).get("/projects/export/"))


def test_households_export(client_as, users, township):
    household = HouseholdFactory(project=ProjectFactory(township=township), note=ATTACK, address="-1+1")
    cells = _assert_neutralised(
        client_as(users["city_office"]).get(f"/projects/{household.project_id}/households/export/")
    )
    assert "'-1+1" in [c.value for c in cells]
    area = next(c for c in cells if c.value == 100)
    assert area.data_type == "n"  # the area stays a number


def test_household_rollup_export(client_as, users, township):
    HouseholdFactory(project=ProjectFactory(township=township))
    _rename(township, ATTACK)
    _assert_neutralised(client_as(users["city_office"]).get("/projects/rollup/export/"))


def test_progress_reports_export(client_as, users, township):
    ProgressReportFactory(target=TargetFactory(township=township), note=ATTACK)
    _assert_neutralised(client_as(users["city_office"]).get("/progress-reports/export/"))


def test_townships_export(client_as, users, township):
    _rename(township, ATTACK)
    _assert_neutralised(client_as(users["city_office"]).get("/townships/export/"))


def test_ranking_periods_export(client_as, users):
    from standings.models import Ranking

    publisher = users["city_office"]
    publisher.first_name = ATTACK
    publisher.save(update_fields=["first_name"])
    Ranking.objects.create(
        period="2026-03",
        status="published",
        computed_at=timezone.now(),
        published_at=timezone.now(),
        published_by=publisher,
    )
    _assert_neutralised(client_as(users["city_office"]).get("/standings/rankings/export/"))


def test_ranking_and_warning_exports(client_as, users, township):
    from standings.services import ranking_compute, standings_refresh
    from tests.standings.factories import AS_OF, township_with_progress

    town = township_with_progress(township.county, quantity=100, done=40, code="331102990")
    _rename(town, ATTACK)
    standings_refresh(as_of=AS_OF)
    ranking_compute(period="2026-03")
    client = client_as(users["city_office"])
    _assert_neutralised(client.get("/standings/rankings/2026-03/export/"))
    _assert_neutralised(client.get("/standings/warnings/export/", {"period": "2026-03"}))


def test_the_shared_writer_rule():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\r=1") == "'\r=1"
    assert neutralise("'=1") == "'=1"  # already text in Excel
    assert neutralise("1-1") == "1-1"
