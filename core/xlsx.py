"""Excel export shared by every list (offices keep their ledgers in Excel)."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from tempfile import SpooledTemporaryFile
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# A text cell starting with one of these is read by Excel as a formula (or a DDE call): OWASP's
# CSV/formula-injection guidance is to prefix a single quote so it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """User text as it may go into a spreadsheet cell: never a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value):
    if value is None or isinstance(value, int | float | Decimal | datetime.date | datetime.datetime):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    return neutralise(str(value))


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Sheet1"
):
    """Stream `rows` into a write-only workbook and answer it as a download named `filename`."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(str(header)) * 2 + 4))
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=neutralise(str(header)))
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_cell(v) for v in row])
    with SpooledTemporaryFile(max_size=16 * 1024 * 1024) as tmp:
        wb.save(tmp)
        tmp.seek(0)
        response = HttpResponse(tmp.read(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
