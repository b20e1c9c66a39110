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
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table

from .render import LANGUAGE, text_width_mm

FONT = "Times New Roman"
KINDS = ("plan", "notice", "minutes", "report", "decision", "conclusion")
CONTENT_WIDTH_MM = 165  # 210 - 30 - 15
LANDSCAPE_WIDTH_MM = 252  # 297 - 30 - 15: an appendix's wide table
CELL_MARGIN_MM = 1.9  # Word's default left and right cell margins (0.08"), written out so LibreOffice agrees
# The masthead: the issuing agency's column wide enough for "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" on one line, the national
# title's for "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (12 pt bold, 88 mm); together wider than the text, centred on it.
MASTHEAD_MM = (80.0, 95.0)
AGENCY_PT, TITLE_PT, MOTTO_PT = 12, 12, 13
MOTTO = "Độc lập - Tự do - Hạnh phúc"
AGENCY_RULE_MM = 25.0   # a third to a half of the agency's name
SUBJECT_RULE_MM = 55.0  # a third to a half of the subject's line

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


def _language(rpr: Any) -> None:
    """Vietnamese, so that Word checks the spelling as Vietnamese instead of flagging every word."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _styles(doc: DocumentType) -> None:
    normal = doc.styles["Normal"]
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            _language(rpr)
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _fonts(normal.element)
    _language(normal.element.get_or_add_rPr())
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
    props = doc.core_properties  # not python-docx's own ("python-docx", 2013): the rendering sets the agency's
    props.author = props.last_modified_by = props.title = props.subject = props.comments = props.keywords = ""
    props.language = LANGUAGE
    package_rels = doc.part.package.rels
    for rid in [rid for rid, rel in package_rels.items() if rel.reltype.endswith("/thumbnail")]:
        del package_rels[rid]  # python-docx's template carries a picture of a page that is not this one
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
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        table._tbl.tblPr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(round(sum(widths_mm) * 1440 / 25.4)))
    for column, width in zip(table.columns, widths_mm, strict=False):
        column.width = Mm(width)  # the grid, which LibreOffice and Word lay out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


# what follows w:pBdr in a paragraph's properties (the schema's order)
_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                 "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                 "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                 "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                 "w:rPr", "w:sectPr", "w:pPrChange")


def _rule(p: Any, length_mm: float, width_mm: float) -> None:
    """Make an empty paragraph a drawn rule `length_mm` long, centred in a space `width_mm` wide: the paragraph's
    bottom border between indents (Word and LibreOffice both draw it), on a line of 4 pt."""
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.first_line_indent = Mm(0)
    fmt.left_indent = fmt.right_indent = Mm(max(width_mm - length_mm, 0) / 2)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(attr), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *_AFTER_BORDER)
    mark = OxmlElement("w:rPr")  # the paragraph mark's size sets the empty line's height
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), "8")
        mark.append(size)
    ppr.insert_element_before(mark, "w:sectPr", "w:pPrChange")


def _cell_lines(cell: object, lines: list[tuple[str, dict[str, object]]]) -> None:
    """Paragraphs in a cell: text with its format, or ("", {"rule": (length_mm, width_mm)}) for a drawn rule."""
    first = True
    for text, fmt in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()  # type: ignore[attr-defined]
        first = False
        p.style = fmt.get("style", CENTER)
        p.alignment = fmt.get("align", WD_ALIGN_PARAGRAPH.CENTER)
        if "before" in fmt:
            p.paragraph_format.space_before = Pt(float(fmt["before"]))  # type: ignore[arg-type]
        if "rule" in fmt:
            _rule(p, *fmt["rule"])  # type: ignore[misc]
        if text:
            run = p.add_run(text)
            run.bold = bool(fmt.get("bold"))
            run.italic = bool(fmt.get("italic"))
            run.font.size = Pt(float(fmt.get("size", 13)))  # type: ignore[arg-type]


def _cell_margins(table: Table, mm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _masthead(doc: DocumentType, v: str = "") -> None:
    """Decree 30's masthead, a table of two rows: the parent and the issuing agency (the name broken where a phrase
    ends when it is longer than its column), a short rule under it, beside the national title, the motto and a rule
    as long as the motto; then the number beside the place and date (in italics), on one line."""
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    _cell_margins(table, CELL_MARGIN_MM)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, list(MASTHEAD_MM))
    left_mm, right_mm = (w - 2 * CELL_MARGIN_MM for w in MASTHEAD_MM)
    names, national = table.rows[0].cells
    fit = f"masthead_lines({AGENCY_PT}, %s, {left_mm:g})"
    _cell_lines(names, [
        ("{{ " + v + "parent_agency|" + fit % "false" + " }}", {"size": AGENCY_PT}),
        ("{{ " + v + "agency|" + fit % "true" + " }}", {"bold": True, "size": AGENCY_PT}),
        ("", {"rule": (AGENCY_RULE_MM, left_mm)}),
    ])
    _cell_lines(national, [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": TITLE_PT}),
        (MOTTO, {"bold": True, "size": MOTTO_PT}),
        ("", {"rule": (round(text_width_mm(MOTTO, MOTTO_PT, bold=True), 1), right_mm)}),
    ])
    number, place_date = table.rows[1].cells
    _cell_lines(number, [("Số: {{ " + v + "number }}", {"size": 13, "before": 6})])
    _cell_lines(place_date, [("{{ " + v + "place_date }}", {"italic": True, "size": 14, "before": 6})])


def _title(doc: DocumentType, v: str = "") -> None:
    _p(doc, "", CENTER)
    _p(doc, "{{ " + v + "type_name }}", CENTER, bold=True, size=14)
    _p(doc, "{{ " + v + "subject }}", CENTER, bold=True, size=14)
    _rule(_p(doc, "", CENTER), SUBJECT_RULE_MM, CONTENT_WIDTH_MM)


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


# ---- appendices ------------------------------------------------------------------------------

def _new_section(doc: DocumentType, *, landscape: bool) -> None:
    """A section break (the next page): A4 upright or turned for a wide table, the same margins, its page numbered
    in the top margin from its first page (the header of the first section, inherited)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.different_first_page_header_footer = False


def _appendix_head(doc: DocumentType, label: str, titles: list[str], attached: str, width_mm: float) -> None:
    """'PHỤ LỤC I', its title (in lines), '(Kèm theo Kế hoạch số … ngày … của …)' in italics, a short rule."""
    _p(doc, label, CENTER, bold=True)
    for title in titles:
        _p(doc, title, CENTER, bold=True)
    _p(doc, attached, CENTER, italic=True)
    _rule(_p(doc, "", CENTER), SUBJECT_RULE_MM * 0.8, width_mm)
    _p(doc, "", PLAIN)


def _products_appendix(doc: DocumentType, label: str, title: str, attached: str, *, result: bool, none: str) -> None:
    """The producers and products inspected (DOCUMENTS.md, Appendices): product, producer, the unit as of the visit,
    and as of the inspection day the stars, the certificate's number, the decision (number and date) and how long it
    is valid; the report adds the result. On pages of its own, turned (landscape) for the width; `none` says why
    there is no row. (Always there: a section break inside a condition would take the page numbers with it.)"""
    _new_section(doc, landscape=True)
    _appendix_head(doc, label, [title], attached, LANDSCAPE_WIDTH_MM)
    headers = ["STT", "Sản phẩm", "Chủ thể", "Đơn vị", "Hạng sao", "Số Giấy chứng nhận", "Quyết định công nhận",
               "Hiệu lực đến"]
    cells = ["{{ r.no }}", "{{ r.product }}", "{{ r.producer }}", "{{ r.unit }}", "{{ r.stars }}",
             "{{ r.certificate }}", "{% if r.decision_number %}{{ r.decision_number }} {% endif %}"
                                    "{% if r.decision_date %}ngày {{ r.decision_date }}{% endif %}", "{{ r.valid_to }}"]
    widths: list[float] = [12, 40, 48, 30, 18, 34, 38, 32]
    if result:
        headers.append("Kết quả kiểm tra")
        cells.append("{{ r.result }}")
        widths = [13, 34, 40, 26, 15, 30, 32, 23, 39]
    _tag(doc, "{%p if products %}")
    _grid(doc, headers, cells, widths, "r in products")
    _p(doc, "Hạng sao, Giấy chứng nhận và Quyết định công nhận còn hiệu lực tại ngày kiểm tra; đơn vị hành chính tại "
            "thời điểm kiểm tra.", SMALL, italic=True)
    _tag(doc, "{%p else %}")
    _p(doc, none)
    _tag(doc, "{%p endif %}")


def _outline(doc: DocumentType, label: str, attached: str) -> None:
    """The outline the local governments answer in their reports (Đề cương báo cáo), carried by the plan: per content
    area of the plan what to report, the first with the figures the local report asks (ocop.campaigns' local report:
    products by stars, producers by kind, new applicants, expired certificates, jobs, revenue), then difficulties and
    recommendations; to whom and by when."""
    end = "{{ ';' if not loop.last else '.' }}"
    _appendix_head(doc, label, ["ĐỀ CƯƠNG BÁO CÁO",
                                "Kết quả thực hiện Chương trình mỗi xã một sản phẩm năm {{ year }}"],
                   attached, CONTENT_WIDTH_MM)
    _tag(doc, "{%p if outline_units %}")
    _p(doc, "Áp dụng đối với: {{ outline_units|join(', ') }}.", italic=True)
    _tag(doc, "{%p endif %}")
    _p(doc, "I. KẾT QUẢ THỰC HIỆN THEO NỘI DUNG KIỂM TRA", HEAD1)
    _tag(doc, "{%p for a in content_areas %}")
    _p(doc, "{{ a.number }}. {{ a.title }}", HEAD2)
    _tag(doc, "{%p if loop.first %}")
    _p(doc, "a) Công tác chỉ đạo, điều hành: các văn bản đã ban hành (kế hoạch, hướng dẫn); cơ quan được giao làm đầu "
            "mối; nguồn lực bố trí để thực hiện Chương trình; công tác tuyên truyền.")
    _p(doc, "b) Số liệu đến thời điểm báo cáo:")
    for line in ("Số sản phẩm OCOP có Giấy chứng nhận còn hiệu lực trên địa bàn, chia theo hạng sao (3 sao, 4 sao, "
                 "5 sao);",
                 "Số chủ thể có sản phẩm OCOP, chia theo loại hình (doanh nghiệp, hợp tác xã, tổ hợp tác, hộ sản xuất "
                 "kinh doanh);",
                 "Số chủ thể đăng ký tham gia Chương trình mới trong năm;",
                 "Số sản phẩm có Giấy chứng nhận đã hết hiệu lực; việc đánh giá, công nhận lại;",
                 "Số lao động có việc làm tại các chủ thể có sản phẩm OCOP;",
                 "Doanh thu từ các sản phẩm OCOP (triệu đồng)."):
        _p(doc, "- " + line)
    _tag(doc, "{%p else %}")
    _p(doc, "Đánh giá kết quả trên địa bàn: những mặt đạt được, những tồn tại, hạn chế; nêu cụ thể chủ thể, sản phẩm "
            "và số liệu minh họa.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _p(doc, "II. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN", HEAD1)
    _p(doc, "Nêu những khó khăn, vướng mắc trong quá trình triển khai thực hiện Chương trình trên địa bàn và nguyên "
            "nhân.")
    _p(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ", HEAD1)
    _p(doc, "Đề xuất, kiến nghị với Ủy ban nhân dân tỉnh, {{ issuer }} và các cơ quan liên quan.")
    _tag(doc, "{%p if report_dues %}")
    _p(doc, "Báo cáo gửi về {{ issuer }}{% if report_via %} (qua {{ report_via }}){% endif %}, thời hạn:", italic=True)
    _loop(doc, "d in report_dues", "- {{ d.unit }}: trước ngày {{ d.due }}" + end)
    _tag(doc, "{%p else %}")
    _p(doc, "Báo cáo gửi về {{ issuer }}{% if report_via %} (qua {{ report_via }}){% endif %} trước buổi làm việc với "
            "Đoàn kiểm tra, theo thời hạn tại Thông báo lịch kiểm tra.", italic=True)
    _tag(doc, "{%p endif %}")


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
    _loop(doc, "x in team_members", "- {{ x }}{{ ';' if not loop.last else '.' }}")
    _tag(doc, "{%p endif %}")
    _p(doc, "2. Thành phần làm việc với đoàn kiểm tra", HEAD2)
    _loop(doc, "x in counterparts", "- {{ x }}")
    _p(doc, "V. THỜI GIAN KIỂM TRA", HEAD1)
    _p(doc, "{{ period }}")
    _loop(doc, "x in schedule", "- {{ x }}{{ ';' if not loop.last else '.' }}")
    _p(doc, "VI. TỔ CHỨC THỰC HIỆN", HEAD1)
    _loop(doc, "x in tasks", "{{ loop.index }}. {{ x }}")
    _tag(doc, "{%p if closing %}")
    _p(doc, "{{ closing }}")
    _tag(doc, "{%p else %}")
    _p(doc, "Trên đây là Kế hoạch {{ subject_in_sentence }} của {{ issuer }}./.")
    _tag(doc, "{%p endif %}")
    _p(doc, "", PLAIN)
    _closing(doc)
    attached = "(Kèm theo Kế hoạch số {{ ref_number }} ngày {{ ref_date }} của {{ ref_agency }})"
    _products_appendix(doc, "PHỤ LỤC I", "DANH SÁCH CHỦ THỂ, SẢN PHẨM OCOP DỰ KIẾN KIỂM TRA", attached, result=False,
                       none="Danh sách chủ thể, sản phẩm được kiểm tra sẽ có thông báo cụ thể cùng lịch kiểm tra.")
    _new_section(doc, landscape=False)  # upright again for the outline
    _outline(doc, "PHỤ LỤC II", attached)


def _notice(doc: DocumentType) -> None:
    """One notice per unit visited (DOCUMENTS.md, TB). The wording is here, in the template; the data (context.notices)
    gives dates, hours, names and lists, each notice as of its own date."""
    end = "{{ ';' if not loop.last else '.' }}"  # list items: ';' between, '.' after the last
    _tag(doc, "{%p for n in notices %}")
    _masthead(doc, "n.")
    _title(doc, "n.")
    _p(doc, "Thực hiện Kế hoạch số {{ n.plan.number }} ngày {{ n.plan.date }} của {{ n.plan.agency }} về "
            "{{ n.plan.subject }}, {{ n.issuer }} thông báo lịch kiểm tra tại {{ n.unit }} như sau:")
    _p(doc, "1. Thời gian", HEAD2)
    _loop(doc, "d in n.days", "- Ngày {{ d.date }}: {% for s in d.sessions %}{{ s.part }} từ {{ s.start }} đến "
                              "{{ s.end }}{{ ', ' if not loop.last else '' }}{% endfor %}" + end)
    _p(doc, "2. Địa điểm", HEAD2)
    _loop(doc, "x in n.places", "- {{ x }}" + end)
    _p(doc, "3. Thành phần đoàn kiểm tra", HEAD2)
    _loop(doc, "x in n.team", "- {{ x }}" + end)
    _p(doc, "4. Thành phần làm việc với đoàn", HEAD2)
    _tag(doc, "{%p if n.counterparts %}")
    _loop(doc, "x in n.counterparts", "- {{ x }}" + end)
    _tag(doc, "{%p else %}")
    _p(doc, "- Đại diện lãnh đạo {{ n.addressee }} và các phòng, ban chuyên môn có liên quan; đại diện các chủ thể "
            "được kiểm tra.")
    _tag(doc, "{%p endif %}")
    _p(doc, "5. Chương trình làm việc", HEAD2)
    _grid(doc, ["Thời gian", "Nội dung", "Địa điểm"], [
        "Ngày {{ r.date }}, {{ r.part }} từ {{ r.start }} đến {{ r.end }}",
        "{% if r.working_session %}Làm việc với {{ n.addressee }}{% else %}Kiểm tra thực tế"
        "{% if r.producers %} tại {% for p in r.producers %}{{ p.name }}{% if p.products %} (sản phẩm "
        "{{ p.products|join(', ') }}){% endif %}{{ '; ' if not loop.last else '' }}{% endfor %}{% endif %}"
        "{% endif %}{% if r.programme %}. {{ r.programme }}{% endif %}.",
        "{{ r.place }}"], [40, 75, 50], "r in n.programme")
    _p(doc, "6. Đề nghị {{ n.addressee }}", HEAD2)
    _p(doc, "- Chỉ đạo các phòng, ban chuyên môn chuẩn bị báo cáo kết quả thực hiện Chương trình mỗi xã một sản phẩm "
            "trên địa bàn{% if n.report_due %}, gửi về Đoàn kiểm tra trước ngày {{ n.report_due }}{% endif %};")
    _p(doc, "- Bố trí địa điểm làm việc, mời các thành phần làm việc với đoàn và thông báo cho các chủ thể được kiểm "
            "tra chuẩn bị hồ sơ, tài liệu liên quan.")
    _tag(doc, "{%p if n.contact %}")
    _p(doc, "Thông tin liên hệ: {{ n.contact.person }}, điện thoại {{ n.contact.phone }}.")
    _tag(doc, "{%p endif %}")
    _p(doc, "{{ n.issuer }} thông báo để các cơ quan, đơn vị, cá nhân có liên quan biết, phối hợp thực hiện./.")
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
    """The minutes of a visit (DOCUMENTS.md, BB). The wording is here, in the template; the data (context.minutes)
    gives times, names, the unit's report, the checklist answers, findings and actions as of the visit's day."""
    end = "{{ ';' if not loop.last else '.' }}"  # list items: ';' between, '.' after the last
    finding = ("{{ f.remark }}{% if f.product %}Sản phẩm {{ f.product }}{% else %}{{ f.producer }}{% endif %}: "
               "{% if f.observed %}{{ f.observed }}{% if f.requirement %}, chưa đáp ứng yêu cầu “{{ f.requirement }}”"
               "{% endif %}{% else %}chưa đáp ứng yêu cầu “{{ f.requirement }}”{% endif %}; mức độ: {{ f.severity }}"
               "{% if f.basis %}; căn cứ: {{ f.basis }}{% endif %}")
    figures = ("Trên địa bàn có {% if r.figures.products %}{{ r.figures.products }} sản phẩm OCOP "
               "({{ r.figures.by_stars }}){% if r.figures.producers %} của {% endif %}{% endif %}"
               "{% if r.figures.producers %}{{ r.figures.producers }} chủ thể ({{ r.figures.by_kind }}){% endif %}"
               "{% if r.figures.new_applicants %}; {{ r.figures.new_applicants }} chủ thể đăng ký tham gia mới"
               "{% endif %}{% if r.figures.expired %}; {{ r.figures.expired }} sản phẩm có Giấy chứng nhận hết hiệu lực"
               "{% endif %}{% if r.figures.jobs %}; tạo việc làm cho {{ r.figures.jobs }} lao động{% endif %}"
               "{% if r.figures.revenue %}; doanh thu khoảng {{ r.figures.revenue }} triệu đồng{% endif %}.")
    _masthead(doc)
    _title(doc)
    _p(doc, "Hôm nay, vào hồi {{ start_time }} {{ day_words }}, tại {{ place }}, Đoàn kiểm tra theo {{ plan_ref }} "
            "{% if working_session %}làm việc với{% else %}tiến hành kiểm tra tại{% endif %} {{ host }}, thành phần "
            "gồm:")
    _p(doc, "I. THÀNH PHẦN", HEAD1)
    _p(doc, "1. Đoàn kiểm tra", HEAD2)
    _loop(doc, "x in team", "- {{ x }}" + end)
    _tag(doc, "{%p for g in parties %}")
    _p(doc, "{{ loop.index + 1 }}. Đại diện {{ g.name }}", HEAD2)
    _tag(doc, "{%p if g.people %}")
    _loop(doc, "x in g.people", "- {{ x }}" + end)
    _tag(doc, "{%p else %}")
    _p(doc, "Không có người đại diện tham dự.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _p(doc, "II. NỘI DUNG VÀ KẾT QUẢ KIỂM TRA", HEAD1)
    _tag(doc, "{%p for a in areas %}")
    _p(doc, "{{ a.number }}. {{ a.title }}", HEAD2)
    _tag(doc, "{%p if a.report %}")
    _tag(doc, "{%p set r = a.report %}")
    _p(doc, "Theo báo cáo của {{ r.unit }}{% if r.received %} (gửi ngày {{ r.received }}){% endif %}: "
            "{{ r.results }}.")
    _tag(doc, "{%p if r.figures.products or r.figures.producers %}")
    _p(doc, figures)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if r.difficulties %}")
    _p(doc, "Khó khăn, vướng mắc: {{ r.difficulties }}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if r.recommendations %}")
    _p(doc, "Kiến nghị, đề xuất: {{ r.recommendations }}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if a.missing %}")
    _p(doc, "{{ a.missing.unit }} chưa gửi báo cáo kết quả thực hiện Chương trình mỗi xã một sản phẩm"
            "{% if a.missing.due %} (hạn gửi ngày {{ a.missing.due }}){% endif %}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if a.rows %}")
    _grid(doc, ["Nội dung kiểm tra", "Kết quả", "Ghi chú"], ["{{ r.item }}", "{{ r.result }}", "{{ r.note }}"],
          [85, 30, 50], "r in a.rows")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if not areas %}")
    _p(doc, "Đoàn kiểm tra không ghi nhận kết quả theo phiếu kiểm tra tại buổi làm việc này.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if evidence %}")
    _p(doc, "Tài liệu, hình ảnh kèm theo biên bản:")
    _loop(doc, "x in evidence", "- {{ x }}" + end)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if record_note %}")
    _p(doc, "{{ record_note }}")
    _tag(doc, "{%p endif %}")
    _p(doc, "III. KẾT LUẬN VÀ KIẾN NGHỊ", HEAD1)
    _p(doc, "1. Những tồn tại, vi phạm", HEAD2)
    _tag(doc, "{%p if findings %}")
    _loop(doc, "f in findings", "- " + finding + end)
    _tag(doc, "{%p else %}")
    _p(doc, "Không phát hiện tồn tại, vi phạm.")
    _tag(doc, "{%p endif %}")
    _p(doc, "2. Yêu cầu khắc phục", HEAD2)
    _tag(doc, "{%p if actions %}")
    _loop(doc, "a in actions", "- {{ a.remark }}Yêu cầu {% if a.owner %}{{ a.owner }} {% endif %}{{ a.task }}, hoàn "
                               "thành trước ngày {{ a.due }}" + end)
    _tag(doc, "{%p else %}")
    _p(doc, "Không có yêu cầu khắc phục.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if host_comments %}")
    _p(doc, "Ý kiến của đại diện {{ host }}: {{ host_comments }}")
    _tag(doc, "{%p else %}")
    _p(doc, "Ý kiến của đại diện {{ host }}: Không có ý kiến khác.")
    _tag(doc, "{%p endif %}")
    _p(doc, "Biên bản kết thúc vào hồi {{ end_time }} cùng ngày, đã đọc lại cho các bên cùng nghe và thống nhất ký "
            "tên. Biên bản được lập thành 02 bản có giá trị như nhau, mỗi bên giữ 01 bản./.")
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
    """The results report (DOCUMENTS.md, BC). The wording is here, in the template; the data (context.report) gives
    the producers, products, findings, local reports and figures as of the report's day."""
    end = "{{ ';' if not loop.last else '.' }}"  # list items: ';' between, '.' after the last
    subject = "{% if f.product %}Sản phẩm {{ f.product }} ({{ f.producer }}){% else %}{{ f.producer }}{% endif %}"
    what = ("{% if f.observed %}{{ f.observed }}{% if f.requirement %}, chưa đáp ứng yêu cầu “{{ f.requirement }}”"
            "{% endif %}{% else %}chưa đáp ứng yêu cầu “{{ f.requirement }}”{% endif %}")
    revoke = ("Giấy chứng nhận sản phẩm OCOP{% if r.stars %} {{ r.stars }} sao{% endif %} đối với sản phẩm "
              "{{ r.product }} của {{ r.producer }}{% if r.decision_number %} (Quyết định công nhận số "
              "{{ r.decision_number }} ngày {{ r.decision_date }}){% elif r.decision_date %} (công nhận ngày "
              "{{ r.decision_date }}){% endif %}, do {{ r.reason }}")
    _masthead(doc)
    _title(doc)
    _p(doc, "Thực hiện {{ plan_ref }}, Đoàn kiểm tra báo cáo kết quả kiểm tra như sau:")
    _p(doc, "I. KHÁI QUÁT", HEAD1)
    _tag(doc, "{%p if visited_units %}")
    _p(doc, "Đoàn kiểm tra{% if team_head %} do {{ team_head }} làm Trưởng đoàn{% endif %}, gồm {{ team_size }} thành "
            "viên, đã tiến hành kiểm tra {{ period }} tại {{ visited_units }}.")
    _tag(doc, "{%p else %}")
    _p(doc, "Đoàn kiểm tra chưa tiến hành buổi kiểm tra nào.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if sessions %}")
    _p(doc, "Đoàn đã làm việc với {{ sessions }} về tình hình triển khai thực hiện Chương trình trên địa bàn.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if producers_inspected %}")
    _p(doc, "Đoàn đã kiểm tra {{ product_count }} sản phẩm OCOP{% if stars %} ({{ stars }}){% endif %} của "
            "{{ producer_count }} chủ thể: {% for p in producers_inspected %}{{ p.producer }} ({{ p.products }})"
            "{{ '; ' if not loop.last else '.' }}{% endfor %}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if uncertified %}")
    _p(doc, "Tại thời điểm kiểm tra, sản phẩm chưa có Giấy chứng nhận OCOP còn hiệu lực: {{ uncertified }}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if products %}")
    _p(doc, "Danh sách chủ thể, sản phẩm được kiểm tra, hạng sao và Giấy chứng nhận còn hiệu lực tại ngày kiểm tra "
            "tại Phụ lục kèm theo Báo cáo này.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if pending_visits %}")
    _p(doc, "Chưa thực hiện: {% for v in pending_visits %}{% if v.working_session %}buổi làm việc{% else %}buổi "
            "kiểm tra thực tế{% endif %} tại {{ v.place }} ngày {{ v.day }}{{ '; ' if not loop.last else '.' }}"
            "{% endfor %}")
    _tag(doc, "{%p endif %}")
    _p(doc, "II. KẾT QUẢ KIỂM TRA", HEAD1)
    _tag(doc, "{%p for a in areas %}")
    _p(doc, "{{ a.number }}. {{ a.title }}", HEAD2)
    _tag(doc, "{%p for r in a.reports %}")
    _p(doc, "Theo báo cáo của {{ r.unit }}: {{ r.results }}.")
    _tag(doc, "{%p if r.figures.products or r.figures.producers %}")
    _p(doc, "Trên địa bàn có {% if r.figures.products %}{{ r.figures.products }} sản phẩm OCOP "
            "({{ r.figures.by_stars }}){% if r.figures.producers %} của {% endif %}{% endif %}"
            "{% if r.figures.producers %}{{ r.figures.producers }} chủ thể ({{ r.figures.by_kind }}){% endif %}"
            "{% if r.figures.new_applicants %}; {{ r.figures.new_applicants }} chủ thể đăng ký tham gia mới{% endif %}"
            "{% if r.figures.expired %}; {{ r.figures.expired }} sản phẩm có Giấy chứng nhận hết hiệu lực{% endif %}"
            "{% if r.figures.jobs %}; tạo việc làm cho {{ r.figures.jobs }} lao động{% endif %}"
            "{% if r.figures.revenue %}; doanh thu khoảng {{ r.figures.revenue }} triệu đồng{% endif %}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _loop(doc, "m in a.late", "{{ m.unit }} gửi báo cáo chậm (ngày {{ m.received }}, hạn ngày {{ m.due }}).")
    _loop(doc, "m in a.missing", "{{ m.unit }} chưa gửi báo cáo kết quả thực hiện Chương trình"
                                 "{% if m.due %} (hạn ngày {{ m.due }}){% endif %}.")
    _loop(doc, "x in a.figures", "{{ x.question }}: tổng cộng {{ x.total }}{% if x.parts %} ({{ x.parts }}){% endif %}.")
    _tag(doc, "{%p if a.fine %}")
    _p(doc, "Đạt yêu cầu ở tất cả các nội dung kiểm tra: {{ a.fine|join('; ') }}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if a.partly %}")
    _p(doc, "Đạt yêu cầu ở các nội dung khác, còn tồn tại nêu dưới đây: {{ a.partly|join('; ') }}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if a.findings %}")
    _p(doc, "Tồn tại, hạn chế:")
    state = ("{% if f.state == 'resolved' %}; đã khắc phục{% elif f.state == 'revocation' %}; đề nghị thu hồi Giấy "
             "chứng nhận{% elif f.state == 'sanction' %}; đã chuyển cơ quan chức năng xử lý{% elif f.state == "
             "'responded' %}; đã báo cáo khắc phục, chờ xác minh{% elif f.state == 'overdue' %}; quá hạn khắc phục "
             "(hạn {{ f.due }}){% elif f.state == 'pending' %}; đang khắc phục (hạn {{ f.due }}){% endif %}")
    _loop(doc, "f in a.findings", "- {{ f.remark }}" + subject + ": " + what + "; mức độ: {{ f.severity }}" + state
          + end)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if a.empty %}")
    _p(doc, "Nội dung này chưa được kiểm tra trong các buổi đã thực hiện.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _p(doc, "{{ areas|length + 1 }}. Kết quả theo đơn vị", HEAD2)
    _grid(doc, ["Đơn vị", "Số chủ thể", "Số sản phẩm", "Tồn tại (nhẹ/nặng/nghiêm trọng)", "Yêu cầu khắc phục (đã hoàn thành/tổng)"],
          ["{{ r.unit }}", "{{ r.producers }}", "{{ r.products }}", "{{ r.findings }}", "{{ r.actions }}"],
          [45, 25, 25, 35, 35], "r in units")
    _p(doc, "{{ areas|length + 2 }}. Tồn tại phát hiện theo mức độ", HEAD2)
    _tag(doc, "{%p if severities %}")
    _grid(doc, ["Mức độ", "Số tồn tại", "Đã khắc phục", "Còn mở"],
          ["{{ r.severity }}", "{{ r.total }}", "{{ r.resolved }}", "{{ r.open }}"], [55, 35, 40, 35], "r in severities")
    _tag(doc, "{%p else %}")
    _p(doc, "Không phát hiện tồn tại.")
    _tag(doc, "{%p endif %}")
    _p(doc, "{{ areas|length + 3 }}. Yêu cầu khắc phục và tình trạng thực hiện", HEAD2)
    _tag(doc, "{%p if actions %}")
    _grid(doc, ["Tình trạng", "Số yêu cầu"], ["{{ r.state }}", "{{ r.count }}"], [110, 55], "r in actions")
    _tag(doc, "{%p else %}")
    _p(doc, "Không có yêu cầu khắc phục.")
    _tag(doc, "{%p endif %}")
    _p(doc, "III. ĐÁNH GIÁ CHUNG", HEAD1)
    _p(doc, "1. Kết quả đạt được", HEAD2)
    _tag(doc, "{%p if reports_on_time %}")
    _p(doc, "{{ reports_on_time|join(', ') }} đã gửi báo cáo kết quả thực hiện Chương trình đúng thời hạn.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if clean_products %}")
    _p(doc, "Các sản phẩm đáp ứng đầy đủ các nội dung kiểm tra: {{ clean_products|join('; ') }}.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if resolved_findings %}")
    _p(doc, "Các tồn tại đã được chủ thể, địa phương khắc phục và Đoàn kiểm tra xác minh:")
    _loop(doc, "f in resolved_findings", "- " + subject + ": " + what + end)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if not (reports_on_time or clean_products or resolved_findings) %}")
    _p(doc, "Đoàn kiểm tra chưa ghi nhận kết quả nổi bật.")
    _tag(doc, "{%p endif %}")
    _p(doc, "2. Tồn tại, hạn chế và nguyên nhân", HEAD2)
    _tag(doc, "{%p if shortcomings or missing_reports or late_reports or late_actions %}")
    _p(doc, "a) Tồn tại, hạn chế", italic=True)
    _loop(doc, "x in shortcomings", "- Về {{ x.category }}: {{ x.subjects }}.")
    _loop(doc, "m in missing_reports", "- {{ m.unit }} chưa gửi báo cáo kết quả thực hiện Chương trình theo yêu cầu"
                                       "{% if m.due %} (hạn ngày {{ m.due }}){% endif %}.")
    _loop(doc, "m in late_reports", "- {{ m.unit }} gửi báo cáo chậm so với yêu cầu (ngày {{ m.received }}, hạn ngày "
                                    "{{ m.due }}).")
    _loop(doc, "x in late_actions", "- {{ x.owner }} chưa hoàn thành yêu cầu khắc phục"
                                    "{% if x.product %} đối với sản phẩm {{ x.product }}{% endif %} đúng hạn "
                                    "(hạn ngày {{ x.due }}).")
    _p(doc, "b) Nguyên nhân", italic=True)
    causes = [
        ("local_management", "Công tác quản lý nhà nước về Chương trình ở một số địa phương chưa được quan tâm đúng "
                             "mức; việc theo dõi, hướng dẫn các chủ thể sau khi được công nhận chưa thường xuyên."),
        ("operations", "Một số chủ thể quy mô nhỏ, thiếu vốn, thị trường tiêu thụ chưa ổn định nên chưa duy trì sản xuất "
                       "như khi được công nhận."),
        ("raw_materials", "Vùng nguyên liệu của một số chủ thể chưa ổn định, chưa kiểm soát được nguồn gốc."),
        ("quality_management", "Một số chủ thể chưa quan tâm đúng mức đến việc duy trì các điều kiện bảo đảm chất "
                               "lượng sau khi được công nhận (hồ sơ công bố, kiểm nghiệm định kỳ, truy xuất nguồn "
                               "gốc)."),
        ("food_safety", "Chủ thể chưa chủ động cấp lại giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm và kiểm "
                        "nghiệm sản phẩm định kỳ theo quy định."),
        ("traceability", "Việc ứng dụng mã truy xuất nguồn gốc chưa được duy trì, cập nhật thường xuyên."),
        ("mark_use", "Một số chủ thể chưa nắm vững quy định về quản lý, sử dụng nhãn hiệu chứng nhận và tem OCOP, nhất "
                     "là khi Giấy chứng nhận hết hiệu lực."),
        ("labelling", "Chủ thể chưa cập nhật nhãn hàng hóa theo Nghị định số 43/2017/NĐ-CP và Nghị định số "
                      "111/2021/NĐ-CP."),
        ("environment", "Điều kiện cơ sở vật chất của một số cơ sở sản xuất còn hạn chế, chưa đầu tư xử lý chất thải."),
        ("market", "Hoạt động xúc tiến thương mại, quảng bá sản phẩm của các chủ thể còn hạn chế."),
        ("other", "Một số chủ thể chưa thực hiện nghiêm các quy định sau khi được công nhận."),
    ]
    for code, text in causes:
        _tag(doc, "{%p if '" + code + "' in cause_categories %}")
        _p(doc, "- " + text)
        _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if cause_reports %}")
    _p(doc, "- Một số địa phương chưa quan tâm đúng mức đến chế độ báo cáo theo yêu cầu của Đoàn kiểm tra.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if cause_actions %}")
    _p(doc, "- Việc đôn đốc, kiểm tra thực hiện các yêu cầu khắc phục sau kiểm tra chưa kịp thời.")
    _tag(doc, "{%p endif %}")
    _loop(doc, "d in difficulties", "- Theo báo cáo của {{ d.unit }}: {{ d.text }}.")
    _tag(doc, "{%p else %}")
    _p(doc, "Không phát hiện tồn tại, hạn chế đáng kể.")
    _tag(doc, "{%p endif %}")
    _p(doc, "IV. ĐỀ XUẤT, KIẾN NGHỊ", HEAD1)
    _p(doc, "1. Đối với Ủy ban nhân dân tỉnh", HEAD2)
    _loop(doc, "r in revoke_ppc", "- {{ r.remark }}{% if r.level == 'central' %}Báo cáo, đề nghị {{ r.authority }} "
                                  "xem xét thu hồi {% else %}Xem xét thu hồi {% endif %}" + revoke + ";")
    _loop(doc, "r in local_recommendations", "- Xem xét kiến nghị của {{ r.unit }}: {{ r.text }};")
    _p(doc, "- Tiếp tục quan tâm chỉ đạo, bố trí nguồn lực thực hiện Chương trình mỗi xã một sản phẩm.")
    _p(doc, "2. Đối với {{ local_governments }}", HEAD2)
    _loop(doc, "r in revoke_local", "- {{ r.remark }}{{ r.authority }} xem xét, quyết định thu hồi " + revoke + ";")
    _loop(doc, "u in unit_actions", "- {{ u.unit }} hoàn thành {{ u.count }} yêu cầu khắc phục còn lại;")
    _loop(doc, "m in missing_reports", "- {{ m.unit }} khẩn trương gửi báo cáo kết quả thực hiện Chương trình về Sở;")
    _p(doc, "- Tăng cường quản lý, hướng dẫn các chủ thể duy trì chất lượng sản phẩm và sử dụng nhãn hiệu OCOP đúng quy "
            "định.")
    _p(doc, "3. Đối với các chủ thể có sản phẩm OCOP", HEAD2)
    _loop(doc, "p in producer_actions", "- {{ p.producer }}: khẩn trương thực hiện {{ p.count }} yêu cầu khắc phục còn "
                                        "lại (hạn chậm nhất ngày {{ p.due }}) và báo cáo kết quả về Sở;")
    _p(doc, "- Duy trì các tiêu chí đã được công nhận; thực hiện đánh giá lại trước khi Giấy chứng nhận hết hiệu lực.")
    _p(doc, "Trên đây là báo cáo kết quả kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm năm "
            "{{ year }}./.")
    _p(doc, "", PLAIN)
    _closing(doc)
    _products_appendix(doc, "PHỤ LỤC", "DANH SÁCH CHỦ THỂ, SẢN PHẨM OCOP ĐƯỢC KIỂM TRA",  # the report's one table
                       "(Kèm theo Báo cáo số {{ ref_number }} ngày {{ ref_date }} của {{ ref_agency }})", result=True,
                       none="Đoàn kiểm tra chưa kiểm tra sản phẩm nào.")


# ---- QĐ and TB kết luận ---------------------------------------------------------------------

def _lead(doc: DocumentType, head: str, text: str, style: str = BODY) -> None:
    """A paragraph opening with a bold head ('Điều 1.') and going on in plain text."""
    p = doc.add_paragraph(style=style)
    p.add_run(head).bold = True
    p.add_run(text)


def _page_title(doc: DocumentType, lines: list[str]) -> None:
    """The document's name and its subject lines, centred and bold, with the short rule under them."""
    _p(doc, "", CENTER)
    for line in lines:
        _p(doc, line, CENTER, bold=True, size=14)
    _rule(_p(doc, "", CENTER), SUBJECT_RULE_MM, CONTENT_WIDTH_MM)


def _decision(doc: DocumentType) -> None:
    """The decision establishing the team (DOCUMENTS.md, QĐ). The wording is here, in the template; the data
    (context.decision) gives the plan, the members with their positions and agencies, the proposing unit, the office
    and the units, as of the decision's date. `report_days`: the days the team has to report after the last visit."""
    end = "{{ ';' if not loop.last else '.' }}"
    _tag(doc, "{%p set report_days = 10 %}")
    _masthead(doc)
    _page_title(doc, ["{{ type_name }}", "Về việc thành lập Đoàn kiểm tra {{ team_subject }}"])
    _p(doc, "GIÁM ĐỐC {{ agency }}", CENTER, bold=True, size=14)
    _p(doc, "", PLAIN)
    # Luật Tổ chức chính quyền địa phương in force on the decision's date
    _tag(doc, "{%p if (as_of or '') < '2025-03-01' %}")
    _p(doc, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều "
            "của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
       italic=True)
    _tag(doc, "{%p elif as_of < '2025-06-16' %}")
    _p(doc, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;", italic=True)
    _tag(doc, "{%p else %}")
    _p(doc, "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", italic=True)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if functions_basis %}")
    _p(doc, "Căn cứ {{ functions_basis }};", italic=True)
    _tag(doc, "{%p else %}")
    _p(doc, "Căn cứ chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {{ issuer }};", italic=True)
    _tag(doc, "{%p endif %}")
    _p(doc, "Căn cứ Kế hoạch số {{ plan_number }} ngày {{ plan_date }} của {{ plan_agency }} về {{ plan_subject }}"
            "{{ ';' if proposer else '.' }}", italic=True)
    _tag(doc, "{%p if proposer %}")
    _p(doc, "Theo đề nghị của {% if proposer_kind == 'sub_department' %}Chi cục trưởng {% elif proposer_kind == "
            "'office' %}Chánh {% elif proposer_kind == 'division' %}Trưởng {% else %}Thủ trưởng {% endif %}"
            "{{ proposer }}.", italic=True)
    _tag(doc, "{%p endif %}")
    _p(doc, "", PLAIN)
    _p(doc, "QUYẾT ĐỊNH:", CENTER, bold=True, size=14)
    _lead(doc, "Điều 1. ", "Thành lập Đoàn kiểm tra {{ team_subject }}, gồm các thành viên có tên sau:")
    _loop(doc, "m in members", "{{ loop.index }}. {{ m.person }} – {{ m.role_name }}" + end)
    _lead(doc, "Điều 2. ", "Nhiệm vụ, quyền hạn của Đoàn kiểm tra:")
    _p(doc, "1. Tổ chức kiểm tra theo nội dung, phương thức, đối tượng và thời gian tại Kế hoạch số {{ plan_number }} "
            "ngày {{ plan_date }} của {{ plan_agency }}; được yêu cầu các cơ quan, đơn vị, tổ chức, cá nhân được kiểm "
            "tra cung cấp thông tin, tài liệu, báo cáo có liên quan đến nội dung kiểm tra.")
    _p(doc, "2. Trưởng đoàn phân công nhiệm vụ cụ thể cho các thành viên; các thành viên thực hiện nhiệm vụ theo sự "
            "phân công của Trưởng đoàn và chịu trách nhiệm về kết quả công việc được giao.")
    _p(doc, "3. Trong thời hạn {{ report_days }} ngày kể từ ngày kết thúc đợt kiểm tra cuối cùng{% if last_visit %} "
            "(dự kiến ngày {{ last_visit }}){% endif %}, Đoàn kiểm tra báo cáo kết quả kiểm tra với Giám đốc "
            "{{ issuer }}.")
    _p(doc, "4. Đoàn kiểm tra tự giải thể sau khi hoàn thành nhiệm vụ.")
    _lead(doc, "Điều 3. ", "Quyết định này có hiệu lực kể từ ngày ký.")
    _p(doc, "{% if office %}Chánh {{ office }}, {% endif %}Thủ trưởng các cơ quan, đơn vị{% if units %}: "
            "{{ units|join(', ') }}{% else %} có liên quan{% endif %} và các thành viên có tên tại Điều 1 chịu trách "
            "nhiệm thi hành Quyết định này./.")
    _p(doc, "", PLAIN)
    _closing(doc)


def _conclusion(doc: DocumentType) -> None:
    """The conclusion notice to a unit inspected or to a producer with findings (DOCUMENTS.md, TB kết luận). The
    wording is here, in the template; the data (context.conclusion) gives what was checked, what is good, the findings
    still open, the actions with their owners and due dates, and who decides on each certificate otherwise."""
    end = "{{ ';' if not loop.last else '.' }}"
    finding = ("{{ f.remark }}{% if f.product %}Sản phẩm {{ f.product }}{% else %}{{ f.producer }}{% endif %}: "
               "{% if f.observed %}{{ f.observed }}{% if f.requirement %}, chưa đáp ứng yêu cầu “{{ f.requirement }}”"
               "{% endif %}{% else %}chưa đáp ứng yêu cầu “{{ f.requirement }}”{% endif %} (mức độ: {{ f.severity }})")
    certificate = ("Sản phẩm {{ x.product }} ({{ x.producer }}, {{ x.stars }} sao{% if x.decision_number %}, "
                   "Quyết định công nhận số {{ x.decision_number }} ngày {{ x.decision_date }}{% endif %})")
    _masthead(doc)
    _page_title(doc, ["{{ type_name }}", "Kết luận kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm "
                                         "{% if producer_scope %}đối với {{ producer }}{% else %}tại {{ unit }}"
                                         "{% endif %}"])
    _p(doc, "Kính gửi: {{ addressee }}.", CENTER, size=14)
    _p(doc, "", PLAIN)
    _p(doc, "Thực hiện Kế hoạch số {{ plan_number }} ngày {{ plan_date }} của {{ plan_agency }} về {{ plan_subject }}"
            "{% if decision %} và Quyết định số {{ decision.number }} ngày {{ decision.date }} về việc thành lập Đoàn "
            "kiểm tra{% endif %}, {% if period %}{{ period }}, {% endif %}Đoàn kiểm tra đã tiến hành kiểm tra "
            "{% if producer_scope %}tại {{ producer }}{% else %}trên địa bàn {{ unit }}{% endif %}. Trên cơ sở kết quả "
            "kiểm tra{% if report %} và Báo cáo số {{ report.number }} ngày {{ report.date }}{% endif %}, {{ issuer }} "
            "thông báo kết luận kiểm tra như sau:")
    _p(doc, "1. Nội dung kiểm tra", HEAD2)
    _loop(doc, "x in areas", "- {{ x }}" + end)
    _tag(doc, "{%p if sites or working_session %}")
    _p(doc, "Đoàn kiểm tra{% if sites %} đã kiểm tra thực tế tại: {% for s in sites %}{{ s.producer }}"
            "{% if s.products %} (sản phẩm {{ s.products }}){% endif %}{{ '; ' if not loop.last else '' }}{% endfor %}"
            "{% endif %}{% if working_session %}{% if sites %} và{% endif %} đã làm việc với {{ committee }}"
            "{% endif %}.")
    _tag(doc, "{%p endif %}")
    _p(doc, "2. Kết quả đạt được", HEAD2)
    _tag(doc, "{%p if local_report %}")
    _p(doc, "- {{ committee }} đã gửi báo cáo kết quả thực hiện Chương trình{% if local_report.received %} ngày "
            "{{ local_report.received }}{% endif %}{% if local_report.results %}: {{ local_report.results }}"
            "{% endif %}.")
    _tag(doc, "{%p endif %}")
    _loop(doc, "g in good", "- Sản phẩm {{ g.product }} ({{ g.producer }}) đáp ứng các yêu cầu được kiểm tra.")
    _loop(doc, "f in resolved", "- {{ f.remark }}{% if f.product %}Sản phẩm {{ f.product }}{% else %}{{ f.producer }}"
                                "{% endif %} đã khắc phục tồn tại “{{ f.observed or f.requirement }}”.")
    _tag(doc, "{%p if not (local_report or good or resolved) %}")
    _p(doc, "- {% if producer_scope %}Chủ thể{% else %}{{ committee }}{% endif %} đã phối hợp, cung cấp thông tin, "
            "tài liệu phục vụ kiểm tra.")
    _tag(doc, "{%p endif %}")
    _p(doc, "3. Tồn tại, hạn chế", HEAD2)
    _tag(doc, "{%p if findings %}")
    _loop(doc, "f in findings", "- " + finding + end)
    _tag(doc, "{%p else %}")
    _p(doc, "- Không còn tồn tại, hạn chế phải khắc phục.")
    _tag(doc, "{%p endif %}")
    _p(doc, "4. Yêu cầu khắc phục", HEAD2)
    _tag(doc, "{%p if findings %}")
    _p(doc, "Đề nghị {{ addressee }} tổ chức khắc phục dứt điểm các tồn tại nêu trên{% if actions %}, cụ thể:"
            "{% else %}.{% endif %}")
    _loop(doc, "a in actions", "- {{ a.remark }}{% if a.owner %}{{ a.owner }}: {% endif %}{{ a.task }}"
                               "{% if a.product %} (sản phẩm {{ a.product }}){% endif %}; thời hạn hoàn thành trước "
                               "ngày {{ a.due }}{% if a.overdue %} (đã quá hạn){% endif %}" + end)
    _p(doc, "Kết quả khắc phục (kèm hồ sơ, hình ảnh minh chứng) gửi về {{ issuer }}{% if respond_by %} trước ngày "
            "{{ respond_by }}{% else %} ngay khi hoàn thành{% endif %}.")
    _tag(doc, "{%p else %}")
    _p(doc, "Đề nghị {{ addressee }} tiếp tục duy trì chất lượng sản phẩm và sử dụng nhãn hiệu chứng nhận sản phẩm "
            "OCOP đúng quy định.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if not producer_scope %}")
    _p(doc, "{{ committee }} chỉ đạo các phòng, ban chuyên môn đôn đốc, hướng dẫn các chủ thể trên địa bàn khắc phục "
            "tồn tại, duy trì chất lượng sản phẩm và sử dụng nhãn hiệu chứng nhận sản phẩm OCOP đúng quy định.")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if consequences %}")
    _p(doc, "5. Xử lý trường hợp không khắc phục", HEAD2)
    _loop(doc, "x in revocation", "- " + certificate + ": {{ issuer }} đã đề nghị {{ x.authority }} xem xét thu hồi "
                                                      "Giấy chứng nhận sản phẩm OCOP" + end)
    _loop(doc, "x in warnings", "- " + certificate + ": quá thời hạn nêu trên mà không khắc phục, {{ issuer }} sẽ "
                                                    "đề nghị {{ x.authority }} thu hồi Giấy chứng nhận sản phẩm OCOP "
                                                    "theo quy định" + end)
    _tag(doc, "{%p endif %}")
    _p(doc, "{{ issuer }} thông báo để {{ addressee }} biết, thực hiện./.")
    _p(doc, "", PLAIN)
    _closing(doc)


_BUILDERS: dict[str, Callable[[DocumentType], None]] = {
    "plan": _plan, "notice": _notice, "minutes": _minutes, "report": _report, "decision": _decision,
    "conclusion": _conclusion}


@lru_cache(maxsize=8)
def default_template(kind: str) -> bytes:
    doc = _base()
    _BUILDERS[kind](doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
