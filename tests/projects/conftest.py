import io

import pytest
from openpyxl import Workbook

from .factories import ProjectFactory

HEADERS = [
    "户主姓名",
    "地址",
    "面积(m²)",
    "阶段",
    "签约日期",
    "拆除日期",
    "整治日期",
    "贷款银行",
    "原月利率(‰)",
    "优惠月利率(‰)",
    "备注",
]


@pytest.fixture
def project(township):
    """A demolition project of 碧湖镇 (莲都区) with a 2,000 m² target."""
    return ProjectFactory(township=township, name="碧湖镇拆破拆旧", demolition_target_area=2000)


@pytest.fixture
def make_sheet():
    """make_sheet(rows) -> an in-memory .xlsx with the import headers and these rows."""

    def _make(rows):
        wb = Workbook()
        ws = wb.active
        ws.append(HEADERS)
        for row in rows:
            ws.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        buffer.seek(0)
        buffer.name = "households.xlsx"
        return buffer

    return _make


def household_row(n: int) -> list:
    return [
        f"张{n}明",
        f"碧湖镇新街{n}号",
        80 + n % 20,
        "已签约",
        "2026-03-01",
        None,
        None,
        "丽水农商银行",
        8.7,
        5.8,
        "",
    ]
