"""Spreadsheet exports shared by every list (offices keep their ledgers in Excel or WPS).

One table shape for all of them: a Chinese title row, the header row frozen under it with an
autofilter, widths from the headers (wide free text where a column holds it), and a dated Chinese
file name. The same rows go out as .xlsx or as .csv (UTF-8 with a BOM, which Excel and WPS need to
read it as UTF-8).

The .xlsx writer is XlsxWriter in constant-memory mode: on the province-wide ledger it wrote the
same cells faster than openpyxl's write-only mode and its memory stays flat (docs/performance.md).
"""

import csv
import datetime
import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from tempfile import TemporaryFile
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.timezone import localdate

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
MIN_WIDTH, MAX_WIDTH, WIDE = 8, 40, 50

# A text cell starting with one of these is read by Excel as a formula (or a DDE call): OWASP's
# CSV/formula-injection guidance is to prefix a single quote so it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """User text as it may go into a spreadsheet cell: never a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: a CJK character is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass
class Table:
    """What an export is: its title (also the file name and sheet), headers and the wide columns.

    `wide` holds the indexes of free-text columns (a description) that get a wide, wrapped column.
    `title_row` is off only for import templates, whose first row must be the headers.
    """

    title: str
    headers: Sequence[str]
    wide: Sequence[int] = ()
    widths: dict[int, int] = field(default_factory=dict)
    title_row: bool = True

    def width(self, index: int) -> int:
        if index in self.widths:
            return self.widths[index]
        if index in self.wide:
            return WIDE
        return max(MIN_WIDTH, min(MAX_WIDTH, display_width(str(self.headers[index])) + 4))

    def filename(self, fmt: str, day: datetime.date | None = None) -> str:
        """整改台账_20260301.xlsx: what the office sees in its downloads folder."""
        day = day or localdate()
        return f"{self.title}_{day:%Y%m%d}.{fmt}"


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback name and the real one as RFC 5987 filename*."""
    ascii_name = filename.encode("ascii", "ignore").decode().strip("_ ") or "export"
    if ascii_name.startswith("."):
        ascii_name = "export" + ascii_name
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _plain(value):
    """A cell value as CSV and the xlsx writer take it: local naive times, text never a formula."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


Progress = Callable[[int], None]


def write_xlsx(
    target, table: Table, rows: Iterable[Sequence], *, progress: Progress | None = None, every: int = 5000
) -> int:
    """Write the table to a path or binary file object; returns the number of data rows.

    `progress(rows_done)` is called every `every` rows and at the end.
    """
    wb = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": False,
        },
    )
    ws = wb.add_worksheet(str(table.title)[:31])
    title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    header_fmt = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    datetime_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    wrap_fmt = wb.add_format({"text_wrap": True, "valign": "top"})
    headers = [str(h) for h in table.headers]
    last_col = max(len(headers) - 1, 0)
    for index in range(len(headers)):
        ws.set_column(index, index, table.width(index), wrap_fmt if index in table.wide else None)
    row_no = 0
    if table.title_row:
        ws.set_row(0, 24)
        if last_col:
            ws.merge_range(0, 0, 0, last_col, str(table.title), title_fmt)
        else:
            ws.write_string(0, 0, str(table.title), title_fmt)
        row_no = 1
    header_row = row_no
    for col, header in enumerate(headers):
        ws.write_string(header_row, col, neutralise(header), header_fmt)
    ws.freeze_panes(header_row + 1, 0)
    # The cell writers without the public methods' A1-notation wrapper: what XlsxWriter's own
    # write_row calls (the version is pinned; tests/townships/test_export_formulas.py reads the cells).
    write_string, write_number, write_datetime = ws._write_string, ws._write_number, ws._write_datetime
    done = 0
    for row in rows:
        row_no += 1
        col = -1
        for value in row:
            col += 1
            if value is None:
                continue
            if value.__class__ is str:
                if value:
                    write_string(row_no, col, neutralise(value))
            elif isinstance(value, int | float | Decimal):
                if isinstance(value, bool):
                    ws._write_boolean(row_no, col, value)
                else:
                    write_number(row_no, col, value)
            elif isinstance(value, datetime.datetime):
                write_datetime(row_no, col, _plain(value), datetime_fmt)
            elif isinstance(value, datetime.date):
                write_datetime(row_no, col, value, date_fmt)
            else:
                write_string(row_no, col, neutralise(str(value)))
        done += 1
        if progress is not None and done % every == 0:
            progress(done)
    ws.autofilter(header_row, 0, max(row_no, header_row), last_col)
    wb.close()
    if progress is not None:
        progress(done)
    return done


def write_csv(
    target, table: Table, rows: Iterable[Sequence], *, progress: Progress | None = None, every: int = 5000
) -> int:
    """Write the header and rows as UTF-8 CSV with a BOM to a binary file object (no title row:
    a CSV is read by programs as much as by people)."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text)
    writer.writerow([neutralise(str(h)) for h in table.headers])
    # csv writes None as an empty cell and numbers and dates as str() does; text is neutralised
    # and aware times are written in local time.
    writerow, done = writer.writerow, 0
    for row in rows:
        writerow(
            [
                neutralise(v)
                if v.__class__ is str
                else _plain(v).strftime("%Y-%m-%d %H:%M")
                if isinstance(v, datetime.datetime)
                else v
                if v is None or isinstance(v, int | float | Decimal | datetime.date)
                else neutralise(str(v))
                for v in row
            ]
        )
        done += 1
        if progress is not None and done % every == 0:
            progress(done)
    text.flush()
    text.detach()
    if progress is not None:
        progress(done)
    return done


def write_table(target, fmt: str, table: Table, rows: Iterable[Sequence], **kwargs) -> int:
    return (write_csv if fmt == "csv" else write_xlsx)(target, table, rows, **kwargs)


def requested_format(request) -> str:
    fmt = request.GET.get("format", "xlsx")
    return fmt if fmt in FORMATS else "xlsx"


def table_response(request, table: Table, rows: Iterable[Sequence], *, fmt: str | None = None):
    """Answer the rows as a download in the format the request asks for (?format=csv, else .xlsx)."""
    fmt = fmt or (requested_format(request) if request is not None else "xlsx")
    with TemporaryFile() as tmp:  # small by construction: larger exports run in the background
        write_table(tmp, fmt, table, rows)
        tmp.seek(0)
        response = HttpResponse(tmp.read(), content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(table.filename(fmt))
    return response


def template_response(filename: str, headers: Sequence[str]):
    """An empty import template: headers in the first row, nothing above them."""
    table = Table(title=filename.rsplit(".", 1)[0], headers=headers, title_row=False)
    response = table_response(None, table, [], fmt="xlsx")
    response["Content-Disposition"] = content_disposition(filename)
    return response
