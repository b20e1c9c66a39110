"""The appendices and the report as of its date: the plan and the report carry, on pages of their own after the
signature, the table of the producers and products inspected with the certificate in force on the inspection day
(its number, the decision and its date, how long it is valid) and the unit as it was named then; the plan carries the
outline the local governments answer; the report tells where each finding and corrective action stood on its own
date, and an issued report's body speaks as of the day it was issued."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from ocop.campaigns.models import Campaign, Task, Visit
from ocop.inspections.models import CorrectiveAction, Finding
from ocop.org.models import AdminUnit
from ocop.registry.models import Certificate, Product
from ocop.reports import context
from ocop.reports.context import short_date
from tests.campaigns.helpers import API, seeded

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PRODUCT_HEADERS = ["STT", "Sản phẩm", "Chủ thể", "Đơn vị", "Hạng sao", "Số Giấy chứng nhận", "Quyết định công nhận",
                   "Hiệu lực đến"]


def get(client, path: str, headers: dict[str, str]) -> bytes:  # type: ignore[no-untyped-def]
    r = client.get(f"{API}{path}", headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == DOCX
    return r.content


def body(data: bytes) -> list[tuple[str, object]]:
    """The document in reading order: ('p', text), ('break', None) where a section ends (the next one starts on a
    new page), ('table', rows of cell texts)."""
    doc = Document(io.BytesIO(data))
    out: list[tuple[str, object]] = []
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            text = " ".join("".join(t.text or "" for t in el.iter(qn("w:t"))).split())
            if text:
                out.append(("p", text))
            if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                out.append(("break", None))
        elif el.tag == qn("w:tbl"):
            out.append(("table", [[" ".join("".join(t.text or "" for t in tc.iter(qn("w:t"))).split())
                                   for tc in tr.iter(qn("w:tc"))] for tr in el.iter(qn("w:tr"))]))
    return out


def texts(blocks: list[tuple[str, object]]) -> list[str]:
    return [str(v) for k, v in blocks if k == "p"]


def appendix(blocks: list[tuple[str, object]], label: str) -> list[tuple[str, object]]:
    """An appendix's blocks, from its 'PHỤ LỤC …' line to the next appendix (or the end)."""
    start = blocks.index(("p", label))
    rest = blocks[start + 1:]
    stop = next((i for i, (k, v) in enumerate(rest) if k == "p" and str(v).startswith("PHỤ LỤC")), len(rest))
    return blocks[start:start + 1 + stop]


def product_rows(blocks: list[tuple[str, object]]) -> list[dict[str, str]]:
    tables = [v for k, v in blocks if k == "table" and v[0][:len(PRODUCT_HEADERS)] == PRODUCT_HEADERS]  # type: ignore[index]
    assert len(tables) == 1, "one table of the products"
    header, *rows = tables[0]  # type: ignore[misc]
    return [dict(zip(header, row, strict=True)) for row in rows]


def first_visit_day(session, cid: int, product_id: int) -> date:  # type: ignore[no-untyped-def]
    from ocop.campaigns.models import VisitTarget
    moment = session.scalar(sa.select(sa.func.min(Visit.starts_at)).join(VisitTarget, VisitTarget.visit_id == Visit.id)
                            .where(Visit.campaign_id == cid, VisitTarget.product_id == product_id))
    return (moment.replace(tzinfo=moment.tzinfo or UTC) + timedelta(hours=7)).date()


def check_product_rows(session, cid: int, rows: list[dict[str, str]]) -> None:  # type: ignore[no-untyped-def]
    """Each row as of its product's inspection day: the certificate in force then (not one decided later), the
    unit's name of that year, dates with their leading zeros."""
    units_2024 = {session.get(AdminUnit, u).name for u in session.scalars(
        sa.select(Visit.admin_unit_id).where(Visit.campaign_id == cid))}
    later = 0
    for row in rows:
        pid = session.scalar(sa.select(Product.id).where(Product.name == row["Sản phẩm"]))
        day = first_visit_day(session, cid, pid)
        certs = session.scalars(sa.select(Certificate).where(Certificate.product_id == pid)).all()
        held = [c for c in certs if c.decision_date <= day <= c.valid_to
                and (c.superseded_on is None or c.superseded_on > day)
                and (c.revocation_date is None or c.revocation_date > day)]
        assert row["Đơn vị"] in units_2024, row  # "Huyện Chi Lăng", not the commune formed in 2025
        for c in certs:
            if c.decision_date > day:  # decided after the visit (2025, 2026): never the one of that day
                later += 1
                assert c.certificate_number != row["Số Giấy chứng nhận"], row
                assert short_date(c.decision_date) not in row["Quyết định công nhận"], row
        if held:
            c = max(held, key=lambda x: x.decision_date)
            assert row["Số Giấy chứng nhận"] == c.certificate_number
            assert row["Hạng sao"] == f"{c.stars} sao"
            assert row["Quyết định công nhận"].endswith(f"ngày {short_date(c.decision_date)}")
            assert row["Hiệu lực đến"] == short_date(c.valid_to)
        else:
            assert row["Hạng sao"] == row["Số Giấy chứng nhận"] == row["Hiệu lực đến"] == "", row
    assert later >= 2, "the demo has certificates decided after its 2024 visits"


# ---- the products appendix --------------------------------------------------------------------------------------

def test_the_plan_and_the_report_list_the_products_with_the_certificate_of_the_inspection_day(client, session,
                                                                                              as_user):
    cid = seeded(session, 2024)
    c = session.get(Campaign, cid)
    plan = body(get(client, f"/campaigns/{cid}/documents/plan.docx", as_user("coordinator")))
    signer_at = next(i for i, (k, v) in enumerate(plan) if k == "table" and v[0][0].startswith("Nơi nhận:"))  # type: ignore[index]
    part = appendix(plan, "PHỤ LỤC I")
    start = plan.index(part[0])
    assert start > signer_at and plan[start - 1] == ("break", None)  # after the signature, on a page of its own
    assert texts(part)[1:3] == [
        "DANH SÁCH CHỦ THỂ, SẢN PHẨM OCOP DỰ KIẾN KIỂM TRA",
        f"(Kèm theo Kế hoạch số {c.document_number} ngày 15/3/2024 của Sở Nông nghiệp và Phát triển nông thôn)"]
    rows = product_rows(part)
    assert "Kết quả kiểm tra" not in rows[0]  # nothing inspected yet when the plan is written
    assert [r["Sản phẩm"] for r in rows] == ["Na Chi Lăng", "Trà diếp cá Lúa Vy", "Rượu khoai lang Lộc Bình",
                                             "Rượu men lá A Múi"]
    check_product_rows(session, cid, rows)
    na = rows[0]
    assert (na["Chủ thể"], na["Đơn vị"], na["Hạng sao"]) == ("HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành",
                                                            "Huyện Chi Lăng", "4 sao")
    assert na["Quyết định công nhận"] == "ngày 07/12/2022"  # the 2022 decision, its day and month with a zero
    assert rows[1]["Hạng sao"] == "" and "2865/QĐ-UBND" not in str(rows[1])  # certified only in December 2025
    doc = Document(io.BytesIO(get(client, f"/campaigns/{cid}/documents/plan.docx", as_user("coordinator"))))
    assert doc.sections[1].orientation == WD_ORIENT.LANDSCAPE  # the wide table on a page turned for it

    report = body(get(client, f"/campaigns/{cid}/documents/report.docx", as_user("leader")))
    part = appendix(report, "PHỤ LỤC")
    assert report[report.index(part[0]) - 1] == ("break", None)
    assert texts(part)[1:3] == [
        "DANH SÁCH CHỦ THỂ, SẢN PHẨM OCOP ĐƯỢC KIỂM TRA",
        "(Kèm theo Báo cáo số /BC-SNN ngày / /2024 của Sở Nông nghiệp và Phát triển nông thôn)"]  # a draft: blank
    rows = product_rows(report)  # the report's one table of the products: the appendix's
    assert rows == product_rows(part)
    check_product_rows(session, cid, rows)
    result = {r["Sản phẩm"]: r["Kết quả kiểm tra"] for r in rows}
    assert result["Na Chi Lăng"] == "2 tồn tại (2 nhẹ)"
    assert result["Rượu men lá A Múi"].endswith("đề nghị thu hồi GCN")
    assert "Danh sách chủ thể, sản phẩm được kiểm tra, hạng sao và Giấy chứng nhận còn hiệu lực tại ngày kiểm tra tại " \
           "Phụ lục kèm theo Báo cáo này." in texts(report)


# ---- the outline ------------------------------------------------------------------------------------------------

def test_the_plan_carries_the_outline_the_local_governments_answer(client, session, as_user):
    cid = seeded(session, 2024)
    c = session.get(Campaign, cid)
    plan = body(get(client, f"/campaigns/{cid}/documents/plan.docx", as_user("coordinator")))
    outline = texts(appendix(plan, "PHỤ LỤC II"))
    assert outline[1:4] == [
        "ĐỀ CƯƠNG BÁO CÁO", "Kết quả thực hiện Chương trình mỗi xã một sản phẩm năm 2024",
        f"(Kèm theo Kế hoạch số {c.document_number} ngày 15/3/2024 của Sở Nông nghiệp và Phát triển nông thôn)"]
    assert "Áp dụng đối với: UBND huyện Chi Lăng, UBND huyện Lộc Bình." in outline
    # what to report, per content area of the plan; under the first, the figures the local report form asks
    at = [outline.index(f"{a['number']}. {a['title']}") for a in c.content_areas]
    assert at == sorted(at)
    figures = outline[at[0] + 1:at[1]]
    for asked in ("chia theo hạng sao (3 sao, 4 sao, 5 sao)", "chia theo loại hình", "đăng ký tham gia Chương trình mới",
                  "Giấy chứng nhận đã hết hiệu lực", "Số lao động", "Doanh thu"):
        assert any(asked in line for line in figures), asked
    assert outline[at[-1] + 1:].index("II. KHÓ KHĂN, VƯỚNG MẮC VÀ NGUYÊN NHÂN") >= 1
    assert "III. ĐỀ XUẤT, KIẾN NGHỊ" in outline
    # to whom and by when: each unit's due date from the campaign's tasks, with its leading zeros
    dues = session.execute(sa.select(AdminUnit.name, Task.due_date).join(Task, Task.admin_unit_id == AdminUnit.id)
                           .where(Task.campaign_id == cid, Task.kind == "local_report").order_by(Task.due_date)).all()
    assert outline[-len(dues) - 1:] == [
        "Báo cáo gửi về Sở Nông nghiệp và Phát triển nông thôn (qua Chi cục Phát triển nông thôn), thời hạn:",
        *[f"- UBND {name[:1].lower()}{name[1:]}: trước ngày {short_date(due)}{';' if i < len(dues) - 1 else '.'}"
          for i, (name, due) in enumerate(dues)]]
    assert "- UBND huyện Chi Lăng: trước ngày 08/5/2024;" in outline
    # a draft plan without visits yet: the outline for its communes; the products to be announced
    draft = body(get(client, f"/campaigns/{seeded(session, 2026)}/documents/plan.docx", as_user("coordinator")))
    assert "Danh sách chủ thể, sản phẩm được kiểm tra sẽ có thông báo cụ thể cùng lịch kiểm tra." in \
        texts(appendix(draft, "PHỤ LỤC I"))
    outline = texts(appendix(draft, "PHỤ LỤC II"))
    assert any(line.startswith("Áp dụng đối với: UBND xã ") for line in outline)
    assert "Kết quả thực hiện Chương trình mỗi xã một sản phẩm năm 2026" in outline


# ---- the report as of its date ----------------------------------------------------------------------------------

def finding_line(lines: list[str], observed: str) -> str:
    """The report's sentence on a finding (part II), by what was seen."""
    found = [line for line in lines if line.startswith(("- Sản phẩm", "- (")) and observed in line
             and "mức độ:" in line]
    assert len(found) == 1, (observed, found)
    return found[0]


def issue_report(client, as_user, cid: int, number: str, day: str) -> list[str]:  # type: ignore[no-untyped-def]
    leader = as_user("leader")
    r = client.post(f"{API}/campaigns/{cid}/documents/report/issue", json={"number": number, "date": day},
                    headers=leader)
    assert r.status_code == 201, r.text
    return texts(body(get(client, f"/campaigns/{cid}/documents/report.docx", leader)))


def test_an_action_verified_after_the_reports_date_reads_as_not_yet_done(client, session, as_user):
    cid = seeded(session, 2024)
    # the draft speaks as of the end of 2024: Đồng Bành's stamp book (verified on 30 May) and Lộc Bình's label
    # (verified on 3 June) are done
    draft = texts(body(get(client, f"/campaigns/{cid}/documents/report.docx", as_user("leader"))))
    assert finding_line(draft, "chưa có sổ theo dõi tem").endswith("mức độ: nhẹ; đã khắc phục;")
    assert finding_line(draft, "nhãn thiếu hạn sử dụng").endswith("mức độ: nhẹ; đã khắc phục.")
    assert "Các tồn tại đã được chủ thể, địa phương khắc phục và Đoàn kiểm tra xác minh:" in draft
    # issued on 29 May 2024: the stamp book answered (28 May) and not yet verified; the label not yet answered,
    # due on 5 June (15 days after the visit of 21 May)
    lines = issue_report(client, as_user, cid, "5/BC-SNN", "2024-05-29")
    assert finding_line(lines, "chưa có sổ theo dõi tem").endswith(
        "mức độ: nhẹ; đã báo cáo khắc phục, chờ xác minh;")
    assert finding_line(lines, "nhãn thiếu hạn sử dụng").endswith("mức độ: nhẹ; đang khắc phục (hạn 05/6/2024).")
    assert "Các tồn tại đã được chủ thể, địa phương khắc phục và Đoàn kiểm tra xác minh:" not in lines
    doc = Document(io.BytesIO(get(client, f"/campaigns/{cid}/documents/report.docx", as_user("leader"))))
    states = next(t for t in doc.tables if t.rows[0].cells[0].text == "Tình trạng")
    counts = {row.cells[0].text: row.cells[1].text for row in states.rows[1:]}
    assert counts == {"Chờ khắc phục": "3", "Đã trả lời — chờ xác minh": "1"}  # nothing accepted nor late yet
    assert finding_line(lines, "mã QR trên tem").endswith("đang khắc phục (hạn 03/6/2024);")  # answered on 1 June
    severities = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mức độ")
    minor = next(row for row in severities.rows if row.cells[0].text == "Nhẹ")
    assert [c.text for c in minor.cells] == ["Nhẹ", "3", "0", "3"]
    # the rows themselves are untouched: today the finding is closed, the action accepted
    session.expire_all()
    assert session.scalar(sa.select(Finding.status).where(
        Finding.campaign_id == cid, Finding.description.like("%sổ theo dõi tem%"))) == "closed"


def test_the_issued_reports_body_speaks_as_of_its_issue_date(client, session, as_user):
    cid = seeded(session, 2024)
    # as of the end of 2024, Lúa Vy's action due on 13 June 2024 is overdue
    draft = texts(body(get(client, f"/campaigns/{cid}/documents/report.docx", as_user("leader"))))
    assert finding_line(draft, "ATTP đã hết hạn").endswith("quá hạn khắc phục (hạn 13/6/2024);")
    assert any(line.startswith("- HTX Lúa Vy chưa hoàn thành yêu cầu khắc phục") for line in draft)
    # the report issued on 5 June 2024 says what was true that day, in its body as in its header
    lines = issue_report(client, as_user, cid, "4/BC-SNN", "2024-06-05")
    assert "Lạng Sơn, ngày 05 tháng 6 năm 2024" in " ".join(
        c.text for c in Document(io.BytesIO(get(client, f"/campaigns/{cid}/documents/report.docx",
                                                as_user("leader")))).tables[0]._cells)
    assert finding_line(lines, "ATTP đã hết hạn").endswith("đang khắc phục (hạn 13/6/2024);")
    assert not any(line.startswith("- HTX Lúa Vy chưa hoàn thành yêu cầu khắc phục") for line in lines)
    assert "(Kèm theo Báo cáo số 04/BC-SNN ngày 05/6/2024 của Sở Nông nghiệp và Phát triển nông thôn)" in lines


def test_records_without_history_fall_back_on_their_own_timestamps(session):
    """A finding and an action written outside the services (no audit event): created_at, responded_at and
    verified_at say where they stood."""
    cid = seeded(session, 2024)
    f0 = session.scalars(sa.select(Finding).where(Finding.campaign_id == cid).order_by(Finding.id)).first()
    at = datetime(2024, 6, 10, 3, 0, tzinfo=UTC)
    f = Finding(campaign_id=cid, visit_id=f0.visit_id, producer_id=f0.producer_id, category="labelling",
                severity="minor", description="Nhập tay", status="verified", created_at=at, updated_at=at)
    session.add(f)
    session.flush()
    a = CorrectiveAction(finding_id=f.id, description="Khắc phục", owner_type="producer", due_date=date(2024, 6, 30),
                         status="accepted", responded_at=at + timedelta(days=5), verified_at=at + timedelta(days=10),
                         created_at=at, updated_at=at)
    session.add(a)
    session.flush()
    for day, found, answer in ((date(2024, 6, 9), None, None), (date(2024, 6, 12), "action_required", "open"),
                               (date(2024, 6, 17), "response_submitted", "responded"),
                               (date(2024, 6, 20), "verified", "accepted")):
        findings, actions = context.as_of_day(session, [f], [a], day)
        assert [x.status for x in findings] == ([found] if found else [])
        assert [x.status for x in actions] == ([answer] if answer else [])
    assert (f.status, a.status) == ("verified", "accepted")  # the rows are not changed
    session.rollback()
