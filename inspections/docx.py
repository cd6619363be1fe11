"""The bulletin as an editable Word document (offices finish documents in Word/WPS)."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .templatetags.inspections_tags import cn_date

FANGSONG = "仿宋"
TITLE_FACE = "方正小标宋简体"
HEITI = "黑体"
RED = RGBColor(0xC0, 0x00, 0x00)

ATTACHMENT_HEADERS = ["序号", "乡镇", "问题描述", "所属专项", "整改期限", "责任人", "整改情况"]


def _font(run, face: str = FANGSONG, size: float = 16, bold: bool = False, color=None):
    run.font.name = face
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    # East Asian text takes its face from w:eastAsia, which python-docx does not set by itself.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)


def _paragraph(
    doc, text: str = "", *, face=FANGSONG, size=16, bold=False, color=None, align=None, indent=True
):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent and align is None:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    if text:
        _font(paragraph.add_run(text), face, size, bold, color)
    return paragraph


def finding_state(finding) -> str:
    if finding.status == "closed" and finding.closed_at:
        return f"已销号（{cn_date(finding.closed_at.date())}）"
    return str(finding.get_status_display())


def bulletin_docx(bulletin, groups) -> bytes:
    """Masthead, number, title, body, date, then 附件：问题整改清单 grouped by township."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = FANGSONG
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)

    _paragraph(
        doc, bulletin.issuing_office, face=TITLE_FACE, size=22, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _paragraph(doc, bulletin.number, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    rule = _paragraph(doc, "━" * 24, size=12, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    rule.paragraph_format.space_after = Pt(12)
    _paragraph(doc, bulletin.title, face=TITLE_FACE, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    for line in (bulletin.body or "").splitlines():
        if line.strip():
            _paragraph(doc, line.strip())
    total = sum(len(rows) for _t, rows in groups)
    _paragraph(doc, f"附件：问题整改清单（共{total}项）")
    _paragraph(doc, bulletin.issuing_office, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, cn_date(bulletin.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)

    attachment = doc.add_section()
    attachment.orientation = WD_ORIENT.LANDSCAPE
    attachment.page_width, attachment.page_height = Cm(29.7), Cm(21)
    attachment.left_margin = attachment.right_margin = Cm(2)
    _paragraph(doc, "附件", face=HEITI, size=16, indent=False)
    _paragraph(doc, "问题整改清单", face=TITLE_FACE, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    table = doc.add_table(rows=1, cols=len(ATTACHMENT_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, ATTACHMENT_HEADERS, strict=True):
        _font(cell.paragraphs[0].add_run(header), HEITI, 12, bold=True)
    for township, rows in groups:
        for number, finding in rows:
            values = [
                str(number),
                township.name,
                finding.description,
                finding.track.name if finding.track else "",
                cn_date(finding.deadline),
                finding.responsible_label,
                finding_state(finding),
            ]
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                _font(cell.paragraphs[0].add_run(value), FANGSONG, 12)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
