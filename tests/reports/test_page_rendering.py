"""The page as a clerk opens it: Decree 30's masthead with the agency's name broken only where a phrase ends and the
number on the line of the place and date, rules drawn (not typed) at the right lengths, A4 and its margins; a file
that says Vietnamese (vi-VN) and names the agency as its author; PDF through LibreOffice (its layout checked when
LibreOffice is installed), converted in a private profile within a time limit."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from docx.oxml.ns import qn
from sqlmodel import col

from ocop.campaigns.models import Campaign, Visit
from ocop.reports import defaults, render
from tests.campaigns.helpers import API, seeded

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SNN = "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NO_SOFFICE = shutil.which("soffice") is None and shutil.which("libreoffice") is None


def flat(text: str) -> str:
    return " ".join(text.split())


def get(client, path: str, headers: dict[str, str], **params: object) -> bytes:  # type: ignore[no-untyped-def]
    r = client.get(f"{API}{path}", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.content


def one_unit(session, cid: int) -> int:  # type: ignore[no-untyped-def]
    return session.scalars(sa.select(col(Visit.admin_unit_id)).where(col(Visit.campaign_id) == cid)
                           .order_by(col(Visit.starts_at), col(Visit.id))).first()


def everything_written(doc) -> str:  # type: ignore[no-untyped-def]
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def rule_mm(paragraph, space_mm: float) -> float | None:  # type: ignore[no-untyped-def]
    """The length of the rule a paragraph draws (its bottom border between its indents), None when it draws none."""
    ppr = paragraph._p.pPr
    bottom = ppr.find(qn("w:pBdr") + "/" + qn("w:bottom")) if ppr is not None else None
    if bottom is None or bottom.get(qn("w:val")) in (None, "nil", "none"):
        return None
    fmt = paragraph.paragraph_format
    return space_mm - (fmt.left_indent or 0) / 36000 - (fmt.right_indent or 0) / 36000


def cell_space_mm(table, column: int) -> float:  # type: ignore[no-untyped-def]
    width = int(table._tbl.tblGrid.findall(qn("w:gridCol"))[column].get(qn("w:w"))) * 25.4 / 1440
    return width - 2 * defaults.CELL_MARGIN_MM


# ---- the Word file ----------------------------------------------------------------------------------------------

def test_the_plans_page_masthead_and_drawn_rules(client, session, as_user):
    cid = seeded(session, 2024)
    c = session.get(Campaign, cid)
    doc = Document(io.BytesIO(get(client, f"/campaigns/{cid}/documents/plan.docx", as_user("coordinator"))))
    # A4; margins top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm
    sec = doc.sections[0]
    assert sec.page_width and sec.page_height and sec.top_margin and sec.bottom_margin and sec.left_margin \
        and sec.right_margin
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert 20 <= round(sec.top_margin.mm) <= 25 and 20 <= round(sec.bottom_margin.mm) <= 25
    assert 30 <= round(sec.left_margin.mm) <= 35 and 15 <= round(sec.right_margin.mm) <= 20
    # the masthead: the agency's column about 80 mm; its name broken where the phrase ends, not "PHÁT / TRIỂN"
    head = doc.tables[0]
    assert abs(cell_space_mm(head, 0) + 2 * defaults.CELL_MARGIN_MM - 80) <= 2
    names, national = head.rows[0].cells
    assert [p.text for p in names.paragraphs[:2]] == ["UBND TỈNH LẠNG SƠN", "SỞ NÔNG NGHIỆP VÀ\nPHÁT TRIỂN NÔNG THÔN"]
    assert [p.text for p in national.paragraphs[:2]] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", MOTTO]
    # the number and the place and date: one row, side by side
    number, place_date = head.rows[1].cells
    assert number.text.startswith("Số: ") and number.text.endswith("/KH-SNN")
    assert place_date.text.startswith("Lạng Sơn, ngày ") and place_date.text.endswith("năm 2024")
    # rules drawn as lines, none typed with "─": a short one under the agency, one as long as the motto
    assert "─" not in everything_written(doc) and "___" not in everything_written(doc)
    agency_rule = rule_mm(names.paragraphs[2], cell_space_mm(head, 0))
    longest = max(render.text_width_mm(line, defaults.AGENCY_PT, bold=True) for line in SNN.split(" VÀ "))
    assert agency_rule is not None and longest / 3 - 2 <= agency_rule <= longest / 2 + 2
    motto_rule = rule_mm(national.paragraphs[2], cell_space_mm(head, 1))
    assert motto_rule is not None and abs(motto_rule - render.text_width_mm(MOTTO, 13, bold=True)) <= 2
    # under the subject a rule a third to a half of its line
    texts = [p.text for p in doc.paragraphs]
    under_subject = doc.paragraphs[texts.index(c.title) + 1]
    subject_rule = rule_mm(under_subject, defaults.CONTENT_WIDTH_MM)
    assert subject_rule is not None and defaults.CONTENT_WIDTH_MM / 3 - 1 <= subject_rule <= defaults.CONTENT_WIDTH_MM / 2


def lang_values(data: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return set(re.findall(r'<w:lang\b[^>]*?\bw:val="([^"]*)"', xml))


def package_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def assert_vietnamese_by_the_agency(data: bytes, agency: str, title: str | None = None) -> None:
    doc = Document(io.BytesIO(data))
    styles = doc.styles.element
    default_lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert default_lang is not None and default_lang.get(qn("w:val")) == "vi-VN"
    normal = doc.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    assert normal is not None and normal.get(qn("w:val")) == "vi-VN"
    assert lang_values(data) == {"vi-VN"}  # no run, style or part left in English
    props = doc.core_properties
    assert flat(props.author).upper() == agency and flat(props.last_modified_by).upper() == agency
    assert props.language == "vi-VN"
    if title is not None:
        assert props.title == title
    assert "python-docx" not in package_text(data)
    now = datetime.now(UTC).replace(tzinfo=None)
    for moment in (props.created, props.modified):  # made now (or on its date), not python-docx's 2013
        assert moment is not None and moment.year >= 2024 and moment.replace(tzinfo=None) <= now
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if "thumbnail" in n]  # no picture of some other page


def test_documents_say_vietnamese_and_name_the_agency_as_author(client, session, as_user):
    cid = seeded(session, 2024)
    c = session.get(Campaign, cid)
    co = as_user("coordinator")
    assert_vietnamese_by_the_agency(get(client, f"/campaigns/{cid}/documents/plan.docx", co), SNN, c.title)
    notice = get(client, f"/campaigns/{cid}/documents/notice.docx", co, unit_id=one_unit(session, cid))
    assert_vietnamese_by_the_agency(notice, SNN)
    assert Document(io.BytesIO(notice)).core_properties.title.startswith("Lịch kiểm tra")
    assert_vietnamese_by_the_agency(get(client, f"/campaigns/{cid}/documents/report.docx", as_user("leader")), SNN)
    # a 2026 document: the department as it is named then
    cid26 = seeded(session, 2026)
    assert_vietnamese_by_the_agency(get(client, f"/campaigns/{cid26}/documents/plan.docx", co),
                                    "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")


def test_a_template_written_in_english_word_comes_out_vietnamese():
    """An administrator's Word marks its runs en-US and itself as the author: the document is still vi-VN, the
    agency's."""
    template = Document(io.BytesIO(defaults.default_template("plan")))
    template.core_properties.author = "Admin's Word"
    run = template.add_paragraph().add_run("Ghi chú {{ subject }}")
    lang = run._r.get_or_add_rPr()
    lang.append(lang.makeelement(qn("w:lang"), {qn("w:val"): "en-US"}))
    template.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}") \
        .set(qn("w:val"), "en-GB")
    buf = io.BytesIO()
    template.save(buf)
    assert {"en-US", "en-GB"} <= lang_values(buf.getvalue())
    data = render.render(buf.getvalue(), {"agency": SNN, "subject": "Kiểm tra năm 2024", "type_name": "KẾ HOẠCH"})
    assert_vietnamese_by_the_agency(data, SNN, "Kiểm tra năm 2024")
    assert "Ghi chú Kiểm tra năm 2024" in everything_written(Document(io.BytesIO(data)))
    named = render.render(buf.getvalue(), {"agency": SNN}, author="Sở Nông nghiệp và Phát triển nông thôn",
                          title="Kế hoạch kiểm tra")
    props = Document(io.BytesIO(named)).core_properties
    assert (props.author, props.title) == ("Sở Nông nghiệp và Phát triển nông thôn", "Kế hoạch kiểm tra")


def test_masthead_names_break_where_a_phrase_ends():
    fit = render.masthead_lines
    assert fit(SNN, 12, True, 76) == "SỞ NÔNG NGHIỆP VÀ\nPHÁT TRIỂN NÔNG THÔN"
    assert fit("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", 12, True, 76) == "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    assert fit("UBND TỈNH LẠNG SƠN", 12, False, 76) == "UBND TỈNH LẠNG SƠN"
    assert fit("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", 13, True, 70) == "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN"
    assert fit("CHI CỤC QUẢN LÝ CHẤT LƯỢNG NÔNG LÂM SẢN VÀ THỦY SẢN", 12, True, 76) == \
        "CHI CỤC QUẢN LÝ CHẤT LƯỢNG\nNÔNG LÂM SẢN VÀ THỦY SẢN"
    for name in ("TRUNG TÂM KHUYẾN NÔNG VÀ DỊCH VỤ NÔNG NGHIỆP TỈNH LẠNG SƠN", SNN, "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"):
        lines = fit(name, 13, True, 60).split("\n")
        assert " ".join(lines) == name
        assert all(render.text_width_mm(line, 13, True) <= 60 for line in lines)
        assert not any(a.split()[-1] + " " + b.split()[0] in render._COMPOUNDS for a, b in zip(lines, lines[1:], strict=False))
    assert fit(None) == "" and fit("") == ""


# ---- PDF --------------------------------------------------------------------------------------------------------

def pdf_lines(pdf: bytes, tmp_path: Path) -> list[str]:
    """The PDF's text laid out as on the page (poppler's pdftotext -layout)."""
    binary = shutil.which("pdftotext")
    assert binary, "pdftotext (poppler-utils) is needed to read the PDF's layout: apt-get install poppler-utils"
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    out = subprocess.run([binary, "-layout", "-f", "1", "-l", "1", str(source), "-"],  # noqa: S603
                         check=True, capture_output=True, timeout=60)
    return out.stdout.decode("utf-8").splitlines()


def columns(line: str) -> list[str]:
    return [chunk for chunk in re.split(r"\s{3,}", line.strip()) if chunk]


def assert_masthead_laid_out(lines: list[str], agency_lines: list[str]) -> None:
    """Each line of the agency's name whole, one under the other; nothing else of the name on other lines; the
    number on the line of the place and date."""
    found = [i for i, line in enumerate(lines) for part in columns(line) if part == agency_lines[0]]
    assert found, "\n".join(lines[:12])
    first = found[0]
    for k, expected in enumerate(agency_lines):
        assert expected in columns(lines[first + k]), "\n".join(lines[:12])
    words = set(" ".join(agency_lines).split())
    after = columns(lines[first + len(agency_lines)])
    assert not (after and set(after[0].split()) <= words), "\n".join(lines[:12])  # no word left over below
    number = next(line for line in lines if "Số:" in line)
    assert "Lạng Sơn, ngày" in number, "\n".join(lines[:12])
    assert "─" not in "\n".join(lines)


@pytest.mark.skipif(NO_SOFFICE, reason="LibreOffice is not installed on this machine")
def test_libreoffice_lays_out_the_masthead_without_breaking_a_phrase(client, session, as_user, tmp_path):
    cid = seeded(session, 2024)
    co = as_user("coordinator")
    plan = pdf_lines(get(client, f"/campaigns/{cid}/documents/plan.pdf", co), tmp_path)
    assert_masthead_laid_out(plan, ["SỞ NÔNG NGHIỆP VÀ", "PHÁT TRIỂN NÔNG THÔN"])
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in columns(line) for line in plan)  # not wrapped either
    notice = pdf_lines(get(client, f"/campaigns/{cid}/documents/notice.pdf", co, unit_id=one_unit(session, cid)),
                       tmp_path)
    assert_masthead_laid_out(notice, ["SỞ NÔNG NGHIỆP VÀ", "PHÁT TRIỂN NÔNG THÔN"])
    # 2026: the department's new name fits its column whole
    draft = pdf_lines(get(client, f"/campaigns/{seeded(session, 2026)}/documents/plan.pdf", co), tmp_path)
    assert_masthead_laid_out(draft, ["SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"])


def fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def test_conversion_uses_a_private_profile_each_time(tmp_path, settings, monkeypatch):
    log = tmp_path / "calls.log"
    script = fake_soffice(tmp_path, f'echo "$@ HOME=$HOME" >> {log}\n'
                                    'for last; do :; done\n'  # the document: the last argument
                                    'out="$(dirname "$last")/document.pdf"\n'
                                    'printf "%%PDF-1.4 fake" > "$out"\n')
    monkeypatch.setattr(settings, "soffice_path", str(script))
    assert render.to_pdf(b"docx") == b"%PDF-1.4 fake"
    assert render.to_pdf(b"docx").startswith(b"%PDF")
    calls = log.read_text().splitlines()
    profiles = [re.search(r"-env:UserInstallation=file://(\S+)", call).group(1) for call in calls]  # type: ignore[union-attr]
    assert len(set(profiles)) == 2 and all(p.endswith("/profile") and "ocop-pdf-" in p for p in profiles)
    assert all("--headless" in call and "--convert-to pdf" in call for call in calls)
    assert all(f"HOME={Path(p).parent}" in call for p, call in zip(profiles, calls, strict=True))
    assert not any(Path(p).exists() for p in profiles)  # removed after each conversion


def process_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (FileNotFoundError, IndexError):
        return True
    return state in "ZX"  # ended (a zombie waits for its reaper)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_conversion_that_hangs_is_ended_with_its_children(tmp_path, settings, monkeypatch):
    pids = tmp_path / "pids"
    script = fake_soffice(tmp_path, f"sleep 60 &\necho $! > {pids}\nwait\n")
    monkeypatch.setattr(settings, "soffice_path", str(script))
    monkeypatch.setattr(settings, "pdf_timeout_seconds", 1.0)
    started = time.monotonic()
    with pytest.raises(render.PdfUnavailable, match="too long"):
        render.to_pdf(b"docx")
    assert time.monotonic() - started < 15
    child = int(pids.read_text())
    for _ in range(50):
        if process_gone(child):
            break
        time.sleep(0.1)
    assert process_gone(child), "the office process outlived the time limit"
    if not process_gone(child):  # pragma: no cover - leave nothing behind
        os.kill(child, 9)


def test_without_libreoffice_the_spa_has_a_vietnamese_message(client, session, as_user, settings, monkeypatch):
    monkeypatch.setattr(settings, "soffice_path", "/nonexistent/soffice")
    cid = seeded(session, 2024)
    r = client.get(f"{API}/campaigns/{cid}/documents/plan.pdf", headers=as_user("coordinator"))
    assert r.status_code == 409 and r.json()["code"] == "pdf_unavailable"
    # `detail` is for developers (API.md); the SPA shows its own Vietnamese text for the code
    messages = Path(__file__).resolve().parents[2] / "frontend" / "src" / "i18n" / "vi.json"
    text = json.loads(messages.read_text(encoding="utf-8"))["errors"]["pdf_unavailable"]
    assert "PDF" in text and "Word" in text and "chưa" in text
