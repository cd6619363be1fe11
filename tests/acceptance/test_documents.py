"""The readiness board and the results bulletin (print view and .docx) list every township of the plan."""

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from acceptance.services.applications import application_create
from acceptance.services.outcomes import application_decide
from acceptance.services.reviews import review_record
from townships.models import Township

from .factories import full_marks, plan

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def planned(users, lishui, scheme):
    """Five townships of two counties on the 2026 plan: one passed, one filed, three without application."""
    codes = ["331102100", "331102102", "331102001", "331181001", "331181100"]
    townships = list(Township.objects.filter(code__in=codes))
    for township in townships:
        plan(township, users["city_office"])
    bihu = Township.objects.get(code="331102100")
    app = application_create(
        by=users["township_staff"], township=bihu, year=2026, round="mid_year", self_score=Decimal("75")
    )
    for level, by in (("county", "county_official"), ("city", "city_office"), ("province", "inspector")):
        review_record(
            application_id=app.pk,
            by=users[by],
            level=level,
            reviewed_on="2026-06-01",
            scores=full_marks(scheme),
        )
    application_decide(application_id=app.pk, by=users["province"], decision="passed")
    other = Township.objects.get(code="331102102")
    application_create(
        by=users["county_official"], township=other, year=2026, round="mid_year", self_score=Decimal("60")
    )
    return townships


def test_readiness_board_and_export(client, users, planned):
    client.force_login(users["city_office"])
    page = client.get("/acceptance/readiness/?year=2026")
    html = page.content.decode()
    for township in planned:
        assert f'data-township="{township.code}"' in html
    rows = page.context["rows"]
    # the most at risk first: no application at all, then the largest gap (80 − 60 = 20), then 80 − 75 = 5
    assert [r["gap"] for r in rows][-2:] == [Decimal("20"), Decimal("5")]
    export = client.get("/acceptance/readiness/export/?year=2026")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert {row[0] for row in sheet.iter_rows(min_row=3, values_only=True)} == {
        t.code for t in planned
    }  # title, header
    # the county page's slice
    client.force_login(users["county_official"])
    sliced = client.get("/acceptance/readiness/?year=2026&county=331102").context["rows"]
    assert {r["township"].code for r in sliced} == {"331102100", "331102102", "331102001"}


def test_results_bulletin_print_and_docx(client, users, planned):
    client.force_login(users["city_office"])
    html = client.get("/acceptance/results/print/?year=2026").content.decode()
    for township in planned:
        assert f'data-township="{township.code}"' in html and township.name in html
    assert "达标" in html and "关于2026年度" in html
    response = client.get("/acceptance/results/docx/?year=2026")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)
    for township in planned:
        assert township.name in text


def test_scoring_sheet_print_and_docx(client, users, planned):
    from acceptance.models import Review

    review = Review.objects.filter(level="province").get()
    client.force_login(users["county_official"])
    html = client.get(f"/acceptance/reviews/{review.pk}/print/").content.decode()
    assert "计分表" in html and "卫生死角" in html and "100.00" in html
    doc = Document(io.BytesIO(client.get(f"/acceptance/reviews/{review.pk}/docx/").content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "卫生死角" in text and "100.00" in text
    client.force_login(users["other_county_official"])
    assert client.get(f"/acceptance/reviews/{review.pk}/print/").status_code == 404
