"""The scheme import: preview-and-refuse, like the other imports (every bad row by line, nothing saved)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from acceptance import schemes as scheme_io
from acceptance.models import Scheme, SchemeItem
from acceptance.schemes import COLUMNS

pytestmark = [pytest.mark.django_db]
SAMPLE = scheme_io.__file__.replace("schemes.py", "data/sample_scoring_scheme.xlsx")


def _sheet(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("scheme.xlsx", out.getvalue())


def test_a_bad_row_refuses_the_whole_sheet(client, users, lishui):
    scheme = Scheme.objects.create(year=2026, title="考核办法")
    client.force_login(users["city_office"])
    rows = [
        ("1", "", "汇报", "", "听取汇报", 10, "听取汇报", "", "", "否"),
        (
            "2",
            "",
            "现场",
            "卫生乡镇创建",
            "卫生死角",
            "二十",
            "实地查看",
            "",
            "",
            "否",
        ),  # line 3: points not a number
        ("3", "9", "现场", "", "占道", 10, "实地查看", "", "", "否"),  # line 4: unknown parent
    ]
    response = client.post(f"/acceptance/schemes/{scheme.pk}/import/", {"file": _sheet(rows)})
    assert response.status_code == 400
    errors = response.context["errors"]
    assert any(e.replace(" ", "").startswith("第3行") for e in errors), errors
    assert any(e.replace(" ", "").startswith("第4行") for e in errors), errors
    assert not SchemeItem.objects.exists()


def test_the_sample_sheet_previews_then_saves(client, users, lishui):
    scheme = Scheme.objects.create(year=2026, title="考核办法")
    client.force_login(users["city_office"])
    with open(SAMPLE, "rb") as handle:
        response = client.post(
            f"/acceptance/schemes/{scheme.pk}/import/", {"file": SimpleUploadedFile("s.xlsx", handle.read())}
        )
    assert response.status_code == 200
    assert not SchemeItem.objects.exists()  # a preview saves nothing
    payload = response.context["payload"]
    assert client.post(f"/acceptance/schemes/{scheme.pk}/import/", {"payload": payload}).status_code == 302
    assert SchemeItem.objects.filter(scheme=scheme).count() == 12
    assert SchemeItem.objects.get(code="3.1").parent.code == "3"
    assert SchemeItem.objects.get(code="5").is_veto
    # the export reads back as the import's columns
    export = client.get(f"/acceptance/schemes/{scheme.pk}/export/")
    assert export.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert tuple(c.value for c in sheet[2]) == COLUMNS  # under the title row
    assert sheet.max_row == 14
    # and only the city office imports
    client.force_login(users["county_official"])
    assert client.get(f"/acceptance/schemes/{scheme.pk}/import/").status_code == 403
