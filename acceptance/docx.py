"""The scoring sheet and the results bulletin as editable Word documents, in the bulletin's format."""

import io
from urllib.parse import quote

from django.http import HttpResponse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from inspections.docx import FANGSONG, HEITI, RED, TITLE_FACE, _font, _paragraph
from inspections.templatetags.inspections_tags import cn_date

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OUTCOME = {"passed": "达标", "failed": "未达标", "model": "省级样板", "pending": "验收中", "none": "未申请"}


def _a4(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def _table(doc, headers, rows):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEITI, 12)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(text)), FANGSONG, 12)
    return table


def review_docx(review, rows) -> bytes:
    app = review.application
    doc = Document()
    _a4(doc)
    _paragraph(
        doc,
        f"{app.township.name}{review.get_level_display()}计分表",
        face=TITLE_FACE,
        size=22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _paragraph(
        doc,
        f"{app.scheme.number} {app.scheme.title}　考核日期：{cn_date(review.reviewed_on)}",
        size=14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    body = []
    for item, score in rows:
        body.append(
            [
                item.code,
                item.name,
                item.max_points,
                item.deduction_rule or ("一票否决" if item.is_veto else ""),
                "" if score is None else ("否决" if score.vetoed else score.points),
                "" if score is None else score.note,
            ]
        )
    _table(doc, ["编号", "考核内容", "分值", "扣分规则", "得分", "扣分说明"], body)
    total = "" if review.total is None else f"{review.total}（{review.get_result_display()}）"
    _paragraph(doc, f"验收得分：{total}", size=16, indent=False)
    _paragraph(doc, "考核组成员签字：", size=16, indent=False)
    return _save(doc)


def results_docx(year: int, groups, office: str, today) -> bytes:
    doc = Document()
    _a4(doc)
    _paragraph(doc, office, face=TITLE_FACE, size=26, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        doc,
        f"关于{year}年度小城镇环境综合整治考核验收结果的通报",
        face=TITLE_FACE,
        size=22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    counts = {}
    for _county, rows in groups:
        for row in rows:
            counts[row["outcome"]] = counts.get(row["outcome"], 0) + 1
    _paragraph(
        doc,
        f"{year}年度列入计划的乡镇（街道）共{sum(counts.values())}个，其中达标{counts.get('passed', 0) + counts.get('model', 0)}个"
        f"（省级样板{counts.get('model', 0)}个），未达标{counts.get('failed', 0)}个。现将结果通报如下。",
    )
    for index, (county, rows) in enumerate(groups, start=1):
        _paragraph(doc, f"{_cn_number(index)}、{county.name}", face=HEITI, size=16)
        _table(
            doc,
            ["序号", "乡镇（街道）", "验收结果", "现状"],
            [
                [n, r["township"].name, OUTCOME[r["outcome"]], r["township"].get_status_display()]
                for n, r in enumerate(rows, start=1)
            ],
        )
    _paragraph(doc, f"{office}\n{cn_date(today)}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _save(doc)


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九十"
    return digits[n] if n <= 10 else (f"十{digits[n - 10]}" if n < 20 else str(n))


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
