"""The built-in Word templates (KH, TB, BB, BC), authored here with python-docx and Jinja tags for docxtpl.

An administrator downloads one, edits it in Word and uploads it as a new version; these stay the fallback.
Page frame per Decree 30/2020/NĐ-CP: A4; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman
14 (13 in the masthead, 12 and 11 in the recipients block); page numbers from page 2, centred in the top margin.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table

FONT = "Times New Roman"
KINDS = ("plan", "notice", "minutes", "report")
CONTENT_WIDTH_MM = 165  # 210 - 30 - 15

BODY, HEAD1, HEAD2, PLAIN, CENTER, SMALL, CELL = (
    "OCOP Body", "OCOP Heading 1", "OCOP Heading 2", "OCOP Plain", "OCOP Center", "OCOP Small", "OCOP Cell")


def _fonts(style_or_run_element: object, size: float | None = None) -> None:
    rpr = style_or_run_element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _styles(doc: DocumentType) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    def add(name: str, *, bold: bool = False, italic: bool = False, size: float = 14,
            align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY, indent: float | None = 1.0,
            before: float = 6, after: float = 0) -> None:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.bold = bold
        style.font.italic = italic
        style.font.size = Pt(size)
        fmt = style.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Cm(indent) if indent else None
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        fmt.line_spacing = 1.1 if align == WD_ALIGN_PARAGRAPH.JUSTIFY else 1.0

    add(BODY)
    add(HEAD1, bold=True)
    add(HEAD2, bold=True)
    add(PLAIN, align=WD_ALIGN_PARAGRAPH.LEFT, indent=None, before=0)
    add(CENTER, align=WD_ALIGN_PARAGRAPH.CENTER, indent=None, before=0)
    add(SMALL, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, indent=None, before=0)
    add(CELL, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, indent=None, before=0)


def _page_number_header(doc: DocumentType) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True  # no number on page 1
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    p._p.append(field)


def _base() -> DocumentType:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    _styles(doc)
    _page_number_header(doc)
    return doc


def _p(doc: Any, text: str = "", style: str = BODY, *, bold: bool | None = None,
       italic: bool | None = None, size: float | None = None, align: WD_ALIGN_PARAGRAPH | None = None) -> object:
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        if bold is not None:
            run.bold = bold
        if italic is not None:
            run.italic = italic
        if size is not None:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def _tag(doc: Any, tag: str) -> None:
    """A paragraph holding only a docxtpl block tag ({%p ... %}), removed when rendered."""
    doc.add_paragraph(tag, style=PLAIN)


def _loop(doc: DocumentType, head: str, text: str, style: str = BODY) -> None:
    _tag(doc, "{%p for " + head + " %}")
    _p(doc, text, style)
    _tag(doc, "{%p endfor %}")


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _widths(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(width)  # the grid, which LibreOffice and Word lay out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _cell_lines(cell: object, lines: list[tuple[str, dict[str, object]]]) -> None:
    first = True
    for text, fmt in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()  # type: ignore[attr-defined]
        first = False
        p.style = fmt.get("style", CENTER)
        p.alignment = fmt.get("align", WD_ALIGN_PARAGRAPH.CENTER)
        if text:
            run = p.add_run(text)
            run.bold = bool(fmt.get("bold"))
            run.italic = bool(fmt.get("italic"))
            run.font.size = Pt(float(fmt.get("size", 13)))  # type: ignore[arg-type]


def _masthead(doc: DocumentType, v: str = "") -> None:
    """Issuing agency (with parent) left; national title and motto right; number; place and date in italics."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [72, 93])
    left, right = table.rows[0].cells
    _cell_lines(left, [
        ("{{ " + v + "parent_agency }}", {"size": 12}),
        ("{{ " + v + "agency }}", {"bold": True, "size": 13}),
        ("────────", {"size": 11}),
        ("Số: {{ " + v + "number }}", {"size": 13}),
    ])
    _cell_lines(right, [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": 12}),
        ("Độc lập - Tự do - Hạnh phúc", {"bold": True, "size": 13}),
        ("───────────────", {"size": 11}),
        ("{{ " + v + "place_date }}", {"italic": True, "size": 14}),
    ])


def _title(doc: DocumentType, v: str = "") -> None:
    _p(doc, "", CENTER)
    _p(doc, "{{ " + v + "type_name }}", CENTER, bold=True, size=14)
    _p(doc, "{{ " + v + "subject }}", CENTER, bold=True, size=14)
    _p(doc, "──────────", CENTER, size=11)


def _closing(doc: DocumentType, v: str = "") -> None:
    """Recipients bottom left, signer bottom right."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [80, 85])
    left, right = table.rows[0].cells
    _cell_lines(left, [("Nơi nhận:", {"bold": True, "italic": True, "size": 12, "style": SMALL,
                                      "align": WD_ALIGN_PARAGRAPH.LEFT})])
    _tag(left, "{%p for r in " + v + "recipients %}")
    _cell_lines_append(left, "- {{ r }}", SMALL, 11)
    _tag(left, "{%p endfor %}")
    _cell_lines(right, [
        ("{{ " + v + "signer_authority }}", {"bold": True, "size": 14}),
        ("{{ " + v + "signer_title }}", {"bold": True, "size": 14}),
        ("", {}), ("", {}), ("", {}), ("", {}),
        ("{{ " + v + "signer_name }}", {"bold": True, "size": 14}),
    ])


def _cell_lines_append(cell: object, text: str, style: str, size: float) -> None:
    p = cell.add_paragraph(style=style)  # type: ignore[attr-defined]
    run = p.add_run(text)
    run.font.size = Pt(size)


def _grid(doc: DocumentType, headers: list[str], cells: list[str], widths: list[float], loop: str) -> None:
    """A bordered table: a header row, then one row per item of `loop` ({%tr for ... %})."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_lines(cell, [(text, {"bold": True, "size": 12, "style": CELL})])
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        _cell_lines(cell, [(text, {"size": 12, "style": CELL, "align": WD_ALIGN_PARAGRAPH.LEFT})])
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")


# ---- the four documents ---------------------------------------------------------------------

def _plan(doc: DocumentType) -> None:
    _masthead(doc)
    _title(doc)
    _p(doc, "{{ legal_basis }}")
    _p(doc, "I. MỤC ĐÍCH, YÊU CẦU", HEAD1)
    _p(doc, "1. Mục đích", HEAD2)
    _loop(doc, "x in purposes", "{{ x }}")
    _p(doc, "2. Yêu cầu", HEAD2)
    _loop(doc, "x in requirements", "{{ x }}")
    _p(doc, "II. NỘI DUNG KIỂM TRA", HEAD1)
    _loop(doc, "a in content_areas", "{{ a.number }}. {{ a.title }}")
    _p(doc, "III. PHƯƠNG THỨC, ĐỐI TƯỢNG KIỂM TRA", HEAD1)
    _p(doc, "1. Phương thức kiểm tra", HEAD2)
    _loop(doc, "x in methods", "- {{ x }}")
    _p(doc, "2. Đối tượng kiểm tra", HEAD2)
    _loop(doc, "x in targets", "- {{ x }}")
    _p(doc, "IV. THÀNH PHẦN KIỂM TRA", HEAD1)
    _p(doc, "1. Thành phần đoàn kiểm tra", HEAD2)
    _loop(doc, "x in team_composition", "- {{ x }}")
    _tag(doc, "{%p if team_members %}")
    _p(doc, "Danh sách thành viên đoàn kiểm tra:")
    _loop(doc, "x in team_members", "- {{ x }}")
    _tag(doc, "{%p endif %}")
    _p(doc, "2. Thành phần làm việc với đoàn kiểm tra", HEAD2)
    _loop(doc, "x in counterparts", "- {{ x }}")
    _p(doc, "V. THỜI GIAN KIỂM TRA", HEAD1)
    _p(doc, "{{ period }}")
    _loop(doc, "x in schedule", "- {{ x }}")
    _p(doc, "VI. TỔ CHỨC THỰC HIỆN", HEAD1)
    _loop(doc, "x in tasks", "{{ loop.index }}. {{ x }}")
    _p(doc, "{{ closing }}")
    _p(doc, "", PLAIN)
    _closing(doc)


def _notice(doc: DocumentType) -> None:
    _tag(doc, "{%p for n in notices %}")
    _masthead(doc, "n.")
    _title(doc, "n.")
    _p(doc, "{{ n.preamble }}")
    _p(doc, "1. Thời gian: {{ n.time }}", HEAD2)
    _p(doc, "2. Địa điểm", HEAD2)
    _loop(doc, "x in n.places", "- {{ x }}")
    _p(doc, "3. Thành phần đoàn kiểm tra", HEAD2)
    _loop(doc, "x in n.team", "- {{ x }}")
    _p(doc, "4. Thành phần làm việc với đoàn", HEAD2)
    _loop(doc, "x in n.counterparts", "- {{ x }}")
    _p(doc, "5. Chương trình làm việc", HEAD2)
    _grid(doc, ["Thời gian", "Nội dung", "Địa điểm"], ["{{ r.time }}", "{{ r.content }}", "{{ r.place }}"],
          [40, 75, 50], "r in n.programme")
    _p(doc, "6. Đề nghị", HEAD2)
    _loop(doc, "x in n.requests", "{{ x }}")
    _p(doc, "{{ n.contact }}")
    _p(doc, "", PLAIN)
    _closing(doc, "n.")
    _tag(doc, "{%p if not loop.last %}")
    page_break = doc.add_paragraph(style=PLAIN)
    run = page_break.add_run()
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    run._r.append(br)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")


def _minutes(doc: DocumentType) -> None:
    _masthead(doc)
    _title(doc)
    _p(doc, "{{ opening }}")
    _p(doc, "I. THÀNH PHẦN", HEAD1)
    _p(doc, "1. Đoàn kiểm tra", HEAD2)
    _loop(doc, "x in team", "- {{ x }}")
    _p(doc, "2. Đại diện {{ host }}", HEAD2)
    _loop(doc, "x in representatives", "- {{ x }}")
    _p(doc, "II. NỘI DUNG VÀ KẾT QUẢ KIỂM TRA", HEAD1)
    _tag(doc, "{%p for a in areas %}")
    _p(doc, "{{ a.number }}. {{ a.title }}", HEAD2)
    _grid(doc, ["Nội dung kiểm tra", "Kết quả", "Ghi chú"], ["{{ r.item }}", "{{ r.result }}", "{{ r.note }}"],
          [85, 30, 50], "r in a.rows")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if evidence %}")
    _p(doc, "Tài liệu, hình ảnh kèm theo biên bản:")
    _loop(doc, "x in evidence", "- {{ x }}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if record_note %}")
    _p(doc, "{{ record_note }}")
    _tag(doc, "{%p endif %}")
    _p(doc, "III. KẾT LUẬN VÀ KIẾN NGHỊ", HEAD1)
    _p(doc, "1. Những tồn tại, vi phạm", HEAD2)
    _loop(doc, "x in findings", "- {{ x }}")
    _p(doc, "2. Yêu cầu khắc phục", HEAD2)
    _loop(doc, "x in actions", "- {{ x }}")
    _p(doc, "{{ closing }}")
    _p(doc, "", PLAIN)
    table = doc.add_table(rows=1, cols=3)
    _no_borders(table)
    _widths(table, [60, 45, 60])
    for cell, (role, name) in zip(table.rows[0].cells, [
            ("{{ host_signature }}", "{{ host_signer }}"), ("{{ secretary_signature }}", "{{ secretary_name }}"),
            ("TRƯỞNG ĐOÀN KIỂM TRA", "{{ head_name }}")], strict=True):
        _cell_lines(cell, [(role, {"bold": True, "size": 13}), ("", {}), ("", {}), ("", {}), ("", {}),
                           (name, {"bold": True, "size": 14})])


def _report(doc: DocumentType) -> None:
    _masthead(doc)
    _title(doc)
    _p(doc, "{{ opening }}")
    _p(doc, "I. KHÁI QUÁT", HEAD1)
    _loop(doc, "x in overview", "{{ x }}")
    _p(doc, "II. KẾT QUẢ KIỂM TRA", HEAD1)
    _tag(doc, "{%p for a in areas %}")
    _p(doc, "{{ a.number }}. {{ a.title }}", HEAD2)
    _loop(doc, "x in a.good", "{{ x }}")
    _loop(doc, "x in a.bad", "{{ x }}")
    _tag(doc, "{%p endfor %}")
    _p(doc, "{{ areas|length + 1 }}. Kết quả theo đơn vị", HEAD2)
    _grid(doc, ["Đơn vị", "Số chủ thể", "Số sản phẩm", "Tồn tại (nhẹ/nặng/nghiêm trọng)", "Yêu cầu khắc phục (đã hoàn thành/tổng)"],
          ["{{ r.unit }}", "{{ r.producers }}", "{{ r.products }}", "{{ r.findings }}", "{{ r.actions }}"],
          [45, 25, 25, 35, 35], "r in units")
    _p(doc, "{{ areas|length + 2 }}. Danh sách sản phẩm được kiểm tra", HEAD2)
    _grid(doc, ["STT", "Sản phẩm", "Chủ thể", "Đơn vị", "Hạng sao", "GCN hiệu lực đến", "Kết quả"],
          ["{{ r.no }}", "{{ r.product }}", "{{ r.producer }}", "{{ r.unit }}", "{{ r.stars }}", "{{ r.valid_to }}",
           "{{ r.result }}"],
          [10, 35, 32, 25, 15, 22, 26], "r in products")
    _p(doc, "{{ areas|length + 3 }}. Tồn tại phát hiện theo mức độ", HEAD2)
    _grid(doc, ["Mức độ", "Số tồn tại", "Đã khắc phục", "Còn mở"],
          ["{{ r.severity }}", "{{ r.total }}", "{{ r.resolved }}", "{{ r.open }}"], [55, 35, 40, 35], "r in severities")
    _p(doc, "{{ areas|length + 4 }}. Yêu cầu khắc phục và tình trạng thực hiện", HEAD2)
    _grid(doc, ["Tình trạng", "Số yêu cầu"], ["{{ r.state }}", "{{ r.count }}"], [110, 55], "r in actions")
    _p(doc, "III. ĐÁNH GIÁ CHUNG", HEAD1)
    _p(doc, "1. Kết quả đạt được", HEAD2)
    _loop(doc, "x in achievements", "{{ x }}")
    _p(doc, "2. Tồn tại, hạn chế và nguyên nhân", HEAD2)
    _loop(doc, "x in shortcomings", "{{ x }}")
    _p(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ", HEAD1)
    _p(doc, "1. Đối với Ủy ban nhân dân tỉnh", HEAD2)
    _loop(doc, "x in to_ppc", "- {{ x }}")
    _p(doc, "2. Đối với {{ local_governments }}", HEAD2)
    _loop(doc, "x in to_local", "- {{ x }}")
    _p(doc, "3. Đối với các chủ thể có sản phẩm OCOP", HEAD2)
    _loop(doc, "x in to_producers", "- {{ x }}")
    _p(doc, "{{ closing }}")
    _p(doc, "", PLAIN)
    _closing(doc)


_BUILDERS: dict[str, Callable[[DocumentType], None]] = {
    "plan": _plan, "notice": _notice, "minutes": _minutes, "report": _report}


@lru_cache(maxsize=8)
def default_template(kind: str) -> bytes:
    doc = _base()
    _BUILDERS[kind](doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
