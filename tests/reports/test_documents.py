"""The four documents as Word files: frame (Decree 30), sections, tables equal to the data, permissions, freezing."""
from __future__ import annotations

import io
import shutil

import pytest
import sqlalchemy as sa
from docx import Document
from docx.shared import Pt

from ocop.campaigns.models import Campaign, Task, Visit, VisitTarget
from ocop.inspections.models import ChecklistAnswer, CorrectiveAction, Finding
from ocop.inspections.service import SEVERITY_VI
from ocop.org.models import AdminUnit
from ocop.registry.models import Product
from tests.campaigns.helpers import API, seeded

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def open_docx(r):  # type: ignore[no-untyped-def]
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == DOCX
    return Document(io.BytesIO(r.content))


def body_text(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in doc.paragraphs if p.text.strip()]


def cells(table) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.text for row in table.rows for c in row.cells]


def all_text(doc) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(body_text(doc) + [t for table in doc.tables for t in cells(table)])


def between(lines: list[str], start: str, end: str) -> list[str]:
    return lines[lines.index(start) + 1: lines.index(end)]


def test_plan_follows_the_state_format_and_the_seed_plan(client, session, as_user):
    cid = seeded(session, 2024)
    c = session.get(Campaign, cid)
    r = client.get(f"{API}/campaigns/{cid}/documents/plan.docx", headers=as_user("coordinator"))
    doc = open_docx(r)
    assert "filename*=UTF-8''ke-hoach-" in r.headers["content-disposition"]
    # page frame: A4, margins, Times New Roman 14, page number from page 2 in the header
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert (round(sec.top_margin.mm), round(sec.bottom_margin.mm), round(sec.left_margin.mm),
            round(sec.right_margin.mm)) == (20, 20, 30, 15)
    assert sec.different_first_page_header_footer
    assert 'w:instr="PAGE"' in sec.header._element.xml
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size == Pt(14)
    # masthead: the agency in force in 2024 (broken where the phrase ends) and its parent, a drawn rule; national
    # title; then the number beside the place and date in italics
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["UBND TỈNH LẠNG SƠN", "SỞ NÔNG NGHIỆP VÀ\nPHÁT TRIỂN NÔNG THÔN", ""]
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    number, date_cell = doc.tables[0].rows[1].cells
    assert number.text == f"Số: {c.document_number}"
    day = c.document_date
    date_line = date_cell.paragraphs[0]
    assert date_line.text == f"Lạng Sơn, ngày {day.day:02d} tháng {day.month} năm {day.year}"
    assert all(run.italic for run in date_line.runs)
    lines = body_text(doc)
    lines = lines[:lines.index("PHỤ LỤC I")]  # the body; its appendices follow the signature
    title = lines.index("KẾ HOẠCH")
    assert lines[title + 1] == c.title and doc.paragraphs[[p.text for p in doc.paragraphs].index("KẾ HOẠCH")].runs[0].bold
    assert lines[title + 2].startswith("Căn cứ Kế hoạch số 129/KH-UBND")
    headings = ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG KIỂM TRA", "III. PHƯƠNG THỨC, ĐỐI TƯỢNG KIỂM TRA",
                "IV. THÀNH PHẦN KIỂM TRA", "V. THỜI GIAN KIỂM TRA", "VI. TỔ CHỨC THỰC HIỆN"]
    assert [h for h in lines if h in headings] == headings
    areas = between(lines, "II. NỘI DUNG KIỂM TRA", "III. PHƯƠNG THỨC, ĐỐI TƯỢNG KIỂM TRA")
    assert areas == [f"{a['number']}. {a['title']}" for a in c.content_areas]
    tasks = session.scalars(sa.select(Task.description).where(Task.campaign_id == cid, Task.kind == "plan")
                            .order_by(Task.position, Task.id)).all()
    section_vi = between(lines, "VI. TỔ CHỨC THỰC HIỆN", lines[-1])
    assert section_vi == [f"{i}. {t}" for i, t in enumerate(tasks, start=1)]
    assert lines[-1].endswith("./.")
    # recipients end with the archive line; the signer block
    closing = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    recipients, signer = closing.rows[0].cells
    names = [p.text for p in recipients.paragraphs]
    assert names[0] == "Nơi nhận:" and names[1] == "- UBND tỉnh (B/c);" and names[-1] == "- Lưu: VT, PTNT."
    assert signer.paragraphs[0].text == "GIÁM ĐỐC" and signer.paragraphs[-1].text == c.signer_name
    # no template tag survives rendering
    assert "{%" not in all_text(doc) and "{{" not in all_text(doc)


def test_a_draft_has_a_blank_number_and_todays_agency(client, session, as_user):
    cid = seeded(session, 2026)
    doc = open_docx(client.get(f"{API}/campaigns/{cid}/documents/plan.docx", headers=as_user("coordinator")))
    left, right = doc.tables[0].rows[0].cells
    assert left.paragraphs[1].text == "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    number, date_cell = doc.tables[0].rows[1].cells
    assert number.text == "Số:      /KH-SNNMT"
    assert date_cell.text.startswith("Lạng Sơn, ngày     tháng")


def test_notices_one_per_unit_with_the_units_visits(client, session, as_user):
    cid = seeded(session, 2024)
    co = as_user("coordinator")
    units = session.execute(sa.select(Visit.admin_unit_id, sa.func.count()).where(Visit.campaign_id == cid)
                            .group_by(Visit.admin_unit_id)).all()
    doc = open_docx(client.get(f"{API}/campaigns/{cid}/documents/notice.docx", headers=co))
    lines = body_text(doc)
    assert lines.count("THÔNG BÁO") == len(units) >= 2
    programmes = [t for t in doc.tables if t.rows[0].cells[0].text == "Thời gian"]
    assert sorted(len(t.rows) - 1 for t in programmes) == sorted(n for _, n in units)
    uid, n = units[0]
    name = session.get(AdminUnit, uid).name
    one = open_docx(client.get(f"{API}/campaigns/{cid}/documents/notice.docx", params={"unit_id": uid}, headers=co))
    text = body_text(one)
    inside = name.replace("Huyện ", "huyện ", 1)  # a unit's level word is lower case inside a sentence
    assert text.count("THÔNG BÁO") == 1 and f"Lịch kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm tại {inside}" in text
    assert any(line.startswith("Thực hiện Kế hoạch số") for line in text)
    assert [len(t.rows) - 1 for t in one.tables if t.rows[0].cells[0].text == "Thời gian"] == [n]
    # producers do not get notices; a draft campaign without visits has none to write
    assert client.get(f"{API}/campaigns/{cid}/documents/notice.docx",
                      headers=as_user("producer_dongbanh")).status_code == 404
    r = client.get(f"{API}/campaigns/{seeded(session, 2026)}/documents/notice.docx", headers=co)
    assert r.status_code == 409 and r.json()["code"] == "no_visits"


def approved_visit(session, cid: int) -> Visit:  # type: ignore[no-untyped-def]
    return session.scalars(sa.select(Visit).where(Visit.campaign_id == cid, Visit.status.in_(("approved", "locked")),
                                                  Visit.kind == "site_visit").order_by(Visit.id)).first()


def test_minutes_of_an_approved_visit(client, session, as_user):
    cid = seeded(session, 2024)
    v = approved_visit(session, cid)
    doc = open_docx(client.get(f"{API}/visits/{v.id}/documents/minutes.docx", headers=as_user("coordinator")))
    lines = body_text(doc)
    assert "BIÊN BẢN" in lines
    opening = next(line for line in lines if line.startswith("Hôm nay"))
    assert opening.startswith("Hôm nay, vào hồi 08 giờ 00 ngày 14 tháng 5 năm 2024, tại " + v.place)
    answer_rows = sum(len(t.rows) - 1 for t in doc.tables if t.rows[0].cells[0].text == "Nội dung kiểm tra")
    answers = session.scalar(sa.select(sa.func.count()).select_from(ChecklistAnswer)
                             .where(ChecklistAnswer.visit_id == v.id))
    assert answer_rows == answers > 0
    findings = session.execute(sa.select(Finding.severity, Product.name)
                               .outerjoin(Product, Product.id == Finding.product_id)
                               .where(Finding.visit_id == v.id, Finding.status != "dismissed")).all()
    conclusions = between(lines, "1. Những tồn tại, vi phạm", "2. Yêu cầu khắc phục")
    assert len(conclusions) == len(findings) and all(  # a sentence per finding: whose, what, how serious
        any(c.startswith(f"- Sản phẩm {p}: ") and f"mức độ: {SEVERITY_VI[s].lower()}" in c for c in conclusions)
        for s, p in findings)
    assert lines[-1].startswith("Biên bản kết thúc vào hồi 10 giờ 30 cùng ngày")
    signatures = [c.paragraphs[0].text for c in doc.tables[-1].rows[0].cells]
    assert signatures[0].startswith("ĐẠI DIỆN ") and signatures[-1] == "TRƯỞNG ĐOÀN KIỂM TRA"
    # the visited producer may read its minutes; another producer's visit is not there for it
    assert client.get(f"{API}/visits/{v.id}/documents/minutes.docx",
                      headers=as_user("producer_dongbanh")).status_code == 200
    other = session.scalars(sa.select(Visit.id).where(Visit.campaign_id == cid, Visit.id != v.id,
                                                      Visit.status.in_(("approved", "locked")))).first()
    assert client.get(f"{API}/visits/{other}/documents/minutes.docx",
                      headers=as_user("producer_dongbanh")).status_code == 404


def test_minutes_freeze_with_the_approved_visit(client, session, as_user):
    cid = seeded(session, 2024)
    v = approved_visit(session, cid)
    co = as_user("coordinator")
    first = client.get(f"{API}/visits/{v.id}/documents/minutes.docx", headers=co).content
    # a template replaced after approval does not rewrite the minutes signed that day
    template = Document(io.BytesIO(client.get(f"{API}/document-templates/defaults/minutes.docx",
                                              headers=as_user("admin")).content))
    template.add_paragraph("MẪU MỚI {{ host }}")
    buf = io.BytesIO()
    template.save(buf)
    r = client.post(f"{API}/document-templates/minutes", headers=as_user("admin"),
                    files={"file": ("bien-ban.docx", buf.getvalue(), DOCX)})
    assert r.status_code == 201, r.text
    again = client.get(f"{API}/visits/{v.id}/documents/minutes.docx", headers=co)
    assert again.content == first
    assert "MẪU MỚI" not in all_text(Document(io.BytesIO(again.content)))
    # a visit not yet approved has no minutes
    planned = session.scalars(sa.select(Visit.id).where(Visit.campaign_id == cid, Visit.status == "planned")).first()
    r = client.get(f"{API}/visits/{planned}/documents/minutes.docx", headers=co)
    assert r.status_code == 409 and r.json()["code"] == "visit_not_approved"


def test_report_tables_equal_the_data(client, session, as_user):
    cid = seeded(session, 2024)
    doc = open_docx(client.get(f"{API}/campaigns/{cid}/documents/report.docx", headers=as_user("leader")))
    lines = body_text(doc)
    assert "BÁO CÁO" in lines
    assert [h for h in lines if h[:4] in ("I. K", "II. ", "III.", "IV. ")] == [
        "I. KHÁI QUÁT", "II. KẾT QUẢ KIỂM TRA", "III. ĐÁNH GIÁ CHUNG", "IV. ĐỀ XUẤT, KIẾN NGHỊ"]
    c = session.get(Campaign, cid)
    for a in c.content_areas:
        assert f"{a['number']}. {a['title']}" in lines
    tables = {t.rows[0].cells[0].text: t for t in doc.tables[1:]  # the appendix's table too, not the closing one
              if not t.rows[0].cells[0].text.startswith("Nơi nhận:")}
    products = set(session.scalars(sa.select(VisitTarget.product_id).join(Visit, Visit.id == VisitTarget.visit_id)
                                   .where(Visit.campaign_id == cid, VisitTarget.product_id.is_not(None))))
    products |= set(session.scalars(sa.select(Finding.product_id).where(
        Finding.campaign_id == cid, Finding.product_id.is_not(None), Finding.status != "dismissed")))
    assert len(tables["STT"].rows) - 1 == len(products)
    by_severity = dict(session.execute(sa.select(Finding.severity, sa.func.count()).where(
        Finding.campaign_id == cid, Finding.status != "dismissed").group_by(Finding.severity)).all())
    labels = {"Nghiêm trọng": "critical", "Nặng": "major", "Nhẹ": "minor", "Lưu ý": "observation"}
    rows = {row.cells[0].text: int(row.cells[1].text) for row in tables["Mức độ"].rows[1:]}
    assert {labels[k]: v for k, v in rows.items()} == by_severity
    units = session.scalar(sa.select(sa.func.count(sa.distinct(Visit.admin_unit_id))).where(Visit.campaign_id == cid))
    assert len(tables["Đơn vị"].rows) - 1 == units
    actions = session.scalar(sa.select(sa.func.count()).select_from(CorrectiveAction).join(
        Finding, Finding.id == CorrectiveAction.finding_id).where(Finding.campaign_id == cid,
                                                                  Finding.status != "dismissed"))
    state_rows = [r for r in tables["Tình trạng"].rows[1:] if not r.cells[0].text.startswith("Trong đó")]
    assert sum(int(r.cells[1].text) for r in state_rows) == actions
    assert "thu hồi Giấy chứng nhận sản phẩm OCOP" in "\n".join(lines)  # the escalated finding becomes a proposal
    revenue = session.scalar(sa.select(sa.func.sum(ChecklistAnswer.number_value)).join(
        Visit, Visit.id == ChecklistAnswer.visit_id).where(Visit.campaign_id == cid, ChecklistAnswer.item_code == "ND2.04"))
    assert revenue and any(line.startswith("Doanh thu") and f"tổng cộng {revenue:,.0f}".replace(",", ".") in line
                           for line in lines)
    # the report covers every unit: not for one unit's officer nor for a producer
    for who in ("local_chilang", "producer_dongbanh"):
        assert client.get(f"{API}/campaigns/{cid}/documents/report.docx", headers=as_user(who)).status_code in (403, 404)


def test_documents_list_and_what_callers_may_not_have(client, session, as_user):
    cid = seeded(session, 2024)
    r = client.get(f"{API}/campaigns/{cid}/documents", headers=as_user("coordinator"))
    assert r.status_code == 200
    kinds = [d["kind"] for d in r.json()["items"]]
    approved = session.scalar(sa.select(sa.func.count()).select_from(Visit).where(
        Visit.campaign_id == cid, Visit.status.in_(("approved", "locked"))))
    assert kinds.count("plan") == 1 and kinds.count("report") == 1 and kinds.count("minutes") == approved
    local = [d["kind"] for d in client.get(f"{API}/campaigns/{cid}/documents",
                                           headers=as_user("local_chilang")).json()["items"]]
    assert "report" not in local and "plan" in local
    assert client.get(f"{API}/campaigns/999999/documents/plan.docx", headers=as_user("coordinator")).status_code == 404
    assert client.get(f"{API}/campaigns/{cid}/documents/other.docx", headers=as_user("coordinator")).status_code == 422
    assert client.get(f"{API}/campaigns/{cid}/documents/plan.docx").status_code == 401


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed on this machine")
def test_pdf_through_libreoffice(client, session, as_user):
    cid = seeded(session, 2024)
    r = client.get(f"{API}/campaigns/{cid}/documents/plan.pdf", headers=as_user("coordinator"))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_without_libreoffice_pdf_is_unavailable_and_says_so(client, session, as_user, monkeypatch, settings):
    monkeypatch.setattr(settings, "soffice_path", "/nonexistent/soffice")  # as on a server without LibreOffice
    cid = seeded(session, 2024)
    r = client.get(f"{API}/campaigns/{cid}/documents/plan.pdf", headers=as_user("coordinator"))
    assert r.status_code == 409 and r.json()["code"] == "pdf_unavailable" and "LibreOffice" in r.json()["detail"]
    v = approved_visit(session, cid)
    r = client.get(f"{API}/visits/{v.id}/documents/minutes.pdf", headers=as_user("coordinator"))
    assert r.status_code == 409 and r.json()["code"] == "pdf_unavailable"
    assert client.get(f"{API}/campaigns/{cid}/documents", headers=as_user("coordinator")).json()["pdf_available"] is False


def test_a_local_officer_gets_only_their_units_notice(client, session, as_user):
    from ocop.org.models import User
    from ocop.org.policies import units_within

    cid = seeded(session, 2024)
    officer = session.scalars(sa.select(User).where(User.username == "local_chilang")).one()
    own = sa.select(Visit.admin_unit_id).where(Visit.campaign_id == cid)
    mine = session.scalar(own.where(Visit.admin_unit_id.in_(units_within(officer.scope_unit_id))))
    other = session.scalar(own.where(Visit.admin_unit_id.not_in(units_within(officer.scope_unit_id))))
    assert mine is not None and other is not None
    local = as_user("local_chilang")
    url = f"{API}/campaigns/{cid}/documents/notice"
    for fmt in ("docx", "pdf"):  # another unit's notice is not there for them, whatever the format
        r = client.get(f"{url}.{fmt}", params={"unit_id": other}, headers=local)
        assert r.status_code == 404 and r.json()["code"] == "unit_not_in_campaign", r.text
    r = client.get(f"{url}.docx", params={"unit_id": mine}, headers=local)
    assert r.status_code == 200 and body_text(open_docx(r)).count("THÔNG BÁO") == 1
    # without unit_id: the notices of their units only; the coordinator still gets the other unit's
    assert body_text(open_docx(client.get(f"{url}.docx", headers=local))).count("THÔNG BÁO") == 1
    assert client.get(f"{url}.docx", params={"unit_id": other}, headers=as_user("coordinator")).status_code == 200
    # the same caller's other documents: the report is not theirs (403), another unit's minutes not there (404)
    assert client.get(f"{API}/campaigns/{cid}/documents/report.docx", headers=local).status_code == 403
    theirs_not = session.scalar(sa.select(Visit.id).where(Visit.campaign_id == cid, Visit.admin_unit_id == other,
                                                          Visit.status.in_(("approved", "locked"))))
    if theirs_not is not None:
        assert client.get(f"{API}/visits/{theirs_not}/documents/minutes.docx", headers=local).status_code == 404
