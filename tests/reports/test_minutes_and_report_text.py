"""The minutes (BB) and the results report (BC) read as a clerk signs them: people named with their positions on
both sides, sections never empty, findings as sentences naming producer and product, the inspected party's comments,
copies and './.'; a report that evaluates in sentences, names what it found, says which local reports are missing,
proposes a revocation to whoever certified the product, and lists certificates as they were on the inspection day."""
from __future__ import annotations

import io
import re
from datetime import UTC, date

import sqlalchemy as sa
from docx import Document
from docx.oxml.ns import qn

from ocop.campaigns.models import LocalReport, Task, Visit, VisitTarget
from ocop.core.dates import local_date
from ocop.inspections.models import CorrectiveAction, Finding
from ocop.inspections.service import SEVERITY_VI
from ocop.org.models import AdminUnit, Agency
from ocop.registry.models import Certificate, Producer, Product
from ocop.reports.context import short_date
from tests.campaigns.helpers import API, seeded

HEADINGS = ("OCOP Heading 1", "OCOP Heading 2")
COPIES = "Biên bản được lập thành 02 bản có giá trị như nhau, mỗi bên giữ 01 bản"


def blocks(data: bytes) -> list[tuple[str, str]]:
    """The document body in order: ('h1' | 'h2' | 'p', text) for paragraphs, ('table', cell texts) for tables; the
    appendices after the signature left out."""
    doc = Document(io.BytesIO(data))
    styles = {s.style_id: s.name for s in doc.styles}
    out = []
    for el in doc.element.body.iterchildren():
        if el.tag == qn("w:p"):
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            name = styles.get(style.get(qn("w:val")), "") if style is not None else ""
            kind = {"OCOP Heading 1": "h1", "OCOP Heading 2": "h2"}.get(name, "p")
            if text.startswith("PHỤ LỤC"):
                break
            if text.strip():
                out.append((kind, text))
        elif el.tag == qn("w:tbl"):
            out.append(("table", " | ".join("".join(t.text or "" for t in c.iter(qn("w:t")))
                                            for c in el.iter(qn("w:tc")))))
    return out


def lines_of(data: bytes) -> list[str]:
    return [text for _, text in blocks(data)]


def empty_sections(data: bytes) -> list[str]:
    """Headings followed by no content: a heading directly before a heading of the same or a higher level, or at the
    end of the body (the signature table aside)."""
    body = blocks(data)
    out = []
    for i, (kind, text) in enumerate(body):
        if kind not in ("h1", "h2"):
            continue
        following = body[i + 1][0] if i + 1 < len(body) else None
        if following is None or following == "h1" or (following == "h2" and kind == "h2"):
            out.append(text)
    return out


def section(lines: list[str], heading: str, *, until: str = r"^(\d+\.|[IVX]+\.) ") -> list[str]:
    """The lines under a heading, up to the next numbered heading."""
    start = lines.index(heading)
    rest = lines[start + 1:]
    stop = next((i for i, line in enumerate(rest) if re.match(until, line)), len(rest))
    return rest[:stop]


def minutes(client, as_user, visit_id: int) -> bytes:  # type: ignore[no-untyped-def]
    r = client.get(f"{API}/visits/{visit_id}/documents/minutes.docx", headers=as_user("coordinator"))
    assert r.status_code == 200, r.text
    return r.content


def report(client, as_user, cid: int) -> bytes:  # type: ignore[no-untyped-def]
    r = client.get(f"{API}/campaigns/{cid}/documents/report.docx", headers=as_user("leader"))
    assert r.status_code == 200, r.text
    return r.content


def approved(session, cid: int) -> list[Visit]:  # type: ignore[no-untyped-def]
    return list(session.scalars(sa.select(Visit).where(Visit.campaign_id == cid,
                                                       Visit.status.in_(("approved", "locked"))).order_by(Visit.id)))


def assert_signable(data: bytes) -> None:
    """What every page a clerk signs must have, and must not have."""
    text = "\n".join(lines_of(data))
    assert "Ông/Bà" not in text
    assert not re.search(r"\[(Nặng|Nhẹ|Nghiêm trọng|Lưu ý)\]", text)
    assert "Không đạt: " not in text and "{{" not in text and "{%" not in text
    assert empty_sections(data) == []
    body = [t for k, t in blocks(data) if k != "table"]
    assert body[-1].endswith("./.")


# ---- BB ---------------------------------------------------------------------------------------

def test_minutes_of_the_demo_visits_read_as_signed(client, session, as_user):
    cid = seeded(session, 2024)
    visits = approved(session, cid)
    assert any(v.kind == "site_visit" for v in visits) and any(v.kind == "working_session" for v in visits)
    for v in visits:
        data = minutes(client, as_user, v.id)
        assert_signable(data)
        lines = lines_of(data)
        text = "\n".join(lines)
        assert COPIES in text and "Không có ý kiến khác." in text
        assert "Đại diện chủ thể" not in text  # a role is not a name
        # findings as sentences: whose, what, how serious
        rows = session.execute(sa.select(Finding, Product.name).outerjoin(Product, Product.id == Finding.product_id)
                               .where(Finding.visit_id == v.id, Finding.status != "dismissed")).all()
        found = section(lines, "1. Những tồn tại, vi phạm")
        assert len(found) == max(len(rows), 1)
        for f, product in rows:
            severity = SEVERITY_VI[f.severity].lower()
            assert any(line.startswith(f"- Sản phẩm {product}: ") and f"mức độ: {severity}" in line
                       for line in found), (product, found)
        # actions: who, what, by when (the date as stored)
        due = session.scalars(sa.select(CorrectiveAction.due_date).join(Finding, Finding.id == CorrectiveAction
                                                                        .finding_id).where(Finding.visit_id == v.id))
        for day in due:
            assert any(line.startswith("- ") and "Yêu cầu " in line and
                       f"hoàn thành trước ngày {short_date(day)}" in line
                       for line in section(lines, "2. Yêu cầu khắc phục")), day
        # the commune's people stand under their own People's Committee, not under the inspected party
        host_heading = next(line for line in lines if line.startswith("2. Đại diện "))
        if v.kind == "site_visit":
            assert not any("UBND" in line for line in section(lines, host_heading))
            if any("UBND" in str(a) for a in v.attendees):
                assert any(line.startswith("3. Đại diện UBND") for line in lines)


def test_working_session_minutes_carry_the_units_report(client, session, as_user):
    cid = seeded(session, 2024)
    ws = next(v for v in approved(session, cid) if v.kind == "working_session")
    rep = session.scalars(sa.select(LocalReport).where(LocalReport.campaign_id == cid,
                                                       LocalReport.admin_unit_id == ws.admin_unit_id,
                                                       LocalReport.status == "accepted")).one()
    data = minutes(client, as_user, ws.id)
    lines = lines_of(data)
    part_ii = lines[lines.index("II. NỘI DUNG VÀ KẾT QUẢ KIỂM TRA") + 1: lines.index("III. KẾT LUẬN VÀ KIẾN NGHỊ")]
    assert part_ii, "section II is empty"
    text = "\n".join(part_ii)
    assert rep.results.rstrip(".") in text and rep.difficulties.rstrip(".") in text
    stars = rep.figures["products_by_stars"]
    assert f"{sum(stars.values())} sản phẩm OCOP" in text

    # the other district has not sent its report: its working session's minutes say so in a sentence
    other = session.scalars(sa.select(Visit).where(Visit.campaign_id == cid, Visit.kind == "working_session",
                                                   Visit.id != ws.id)).first()
    assert session.scalars(sa.select(LocalReport).where(LocalReport.admin_unit_id == other.admin_unit_id,
                                                        LocalReport.status.in_(("submitted", "accepted")))).first() \
        is None
    inspector, leader = as_user("inspector1"), as_user("leader")
    if other.status == "planned":
        assert client.post(f"{API}/visits/{other.id}/transitions", json={"to": "in_progress"},
                           headers=inspector).status_code == 200
    for to, who in (("submitted", inspector), ("approved", leader)):
        r = client.post(f"{API}/visits/{other.id}/transitions", json={"to": to}, headers=who)
        assert r.status_code == 200, r.text
    data = minutes(client, as_user, other.id)
    assert_signable(data)
    lines = lines_of(data)
    unit = session.get(AdminUnit, other.admin_unit_id).name
    due = session.scalar(sa.select(Task.due_date).where(Task.campaign_id == cid, Task.kind == "local_report",
                                                        Task.admin_unit_id == other.admin_unit_id))
    part_ii = lines[lines.index("II. NỘI DUNG VÀ KẾT QUẢ KIỂM TRA") + 1: lines.index("III. KẾT LUẬN VÀ KIẾN NGHỊ")]
    assert any(f"UBND {unit[:1].lower()}{unit[1:]} chưa gửi báo cáo" in line and short_date(due) in line
               for line in part_ii), part_ii


def test_minutes_name_the_inspected_partys_people_and_keep_their_comments(client, session, as_user):
    cid = seeded(session, 2024)
    v = session.scalars(sa.select(Visit).where(Visit.campaign_id == cid, Visit.status == "submitted",
                                               Visit.kind == "site_visit")).first()
    producer = session.scalar(sa.select(Producer.name).join(VisitTarget, VisitTarget.producer_id == Producer.id)
                              .where(VisitTarget.visit_id == v.id))
    inspector, leader = as_user("inspector1"), as_user("leader")
    r = client.post(f"{API}/visits/{v.id}/transitions", json={"to": "in_progress", "note": "Bổ sung thành phần."},
                    headers=leader)
    assert r.status_code == 200, r.text
    record = client.get(f"{API}/visits/{v.id}/record", headers=inspector).json()
    comments = "Hợp tác xã thống nhất với kết luận của Đoàn kiểm tra và sẽ in lại nhãn trong tháng."
    r = client.patch(f"{API}/visits/{v.id}/record", headers={**inspector, "If-Match": f'"{record["version"]}"'}, json={
        "attendees": [{"honorific": "Ông", "name": "Hoàng Văn Bình", "title": "Giám đốc", "organisation": producer},
                      {"honorific": "Bà", "name": "Nông Thị Chi", "title": "Phó Chủ tịch",
                       "organisation": "UBND xã Khánh Xuân"}],
        "host_comments": comments})
    assert r.status_code == 200, r.text
    assert r.json()["host_comments"] == comments
    assert client.get(f"{API}/visits/{v.id}/record", headers=inspector).json()["host_comments"] == comments
    too_long = client.patch(f"{API}/visits/{v.id}/record", json={"host_comments": "x" * 4001},
                            headers={**inspector, "If-Match": f'"{r.json()["version"]}"'})
    assert too_long.status_code == 422
    for to, who in (("submitted", inspector), ("approved", leader)):
        r = client.post(f"{API}/visits/{v.id}/transitions", json={"to": to}, headers=who)
        assert r.status_code == 200, r.text
    data = minutes(client, as_user, v.id)
    assert_signable(data)
    lines = lines_of(data)
    assert section(lines, f"2. Đại diện {producer}") == [f"- Ông Hoàng Văn Bình, Giám đốc {producer}."]
    assert section(lines, "3. Đại diện UBND xã Khánh Xuân") == ["- Bà Nông Thị Chi, Phó Chủ tịch UBND xã Khánh Xuân."]
    assert f"Ý kiến của đại diện {producer}: {comments}" in lines
    assert "Không có ý kiến khác." not in "\n".join(lines)
    assert COPIES in "\n".join(lines)
    signatures = Document(io.BytesIO(data)).tables[-1].rows[0].cells[0].text
    assert "Hoàng Văn Bình" in signatures


# ---- BC ---------------------------------------------------------------------------------------

def test_report_evaluates_in_sentences_and_names_every_finding(client, session, as_user):
    cid = seeded(session, 2024)
    data = report(client, as_user, cid)
    assert_signable(data)
    lines = lines_of(data)
    text = "\n".join(lines)
    assert "nội dung kiểm tra đạt yêu cầu" not in text and "nội dung chưa đạt" not in text
    assert not re.search(r"(^|\D)0 sản phẩm", text)
    rows = session.execute(sa.select(Finding, Product.name, Producer.name)
                           .join(Producer, Producer.id == Finding.producer_id)
                           .outerjoin(Product, Product.id == Finding.product_id)
                           .where(Finding.campaign_id == cid, Finding.status != "dismissed")).all()
    assert any(f.severity == "minor" for f, *_ in rows)
    part_ii = text[text.index("II. KẾT QUẢ KIỂM TRA"): text.index("III. ĐÁNH GIÁ CHUNG")]
    for f, product, producer in rows:
        who = f"Sản phẩm {product} ({producer})" if product else producer
        severity = SEVERITY_VI[f.severity].lower()
        assert any(line.startswith(f"- {who}: ") or line.startswith("- (") and who in line
                   for line in part_ii.splitlines() if f"mức độ: {severity}" in line), (who, severity)
    # what was good is said of named products; causes are given
    assert any(line.startswith("Đạt yêu cầu ở tất cả các nội dung kiểm tra: ") for line in lines)
    causes = section(lines, "b) Nguyên nhân", until=r"^(\d+\.|[IVX]+\.) ")
    assert causes and all(line.startswith("- ") for line in causes)


def test_report_says_which_local_reports_are_missing_or_late(client, session, as_user):
    cid = seeded(session, 2024)
    last = session.scalar(sa.select(sa.func.max(Visit.ends_at)).where(Visit.campaign_id == cid))
    day = local_date(last if last.tzinfo else last.replace(tzinfo=UTC))  # a report is written after the visits
    sent = set(session.scalars(sa.select(LocalReport.admin_unit_id).where(
        LocalReport.campaign_id == cid, LocalReport.status.in_(("submitted", "accepted")))))
    overdue = session.execute(sa.select(AdminUnit.name, Task.due_date).join(Task, Task.admin_unit_id == AdminUnit.id)
                              .where(Task.campaign_id == cid, Task.kind == "local_report", Task.due_date < day,
                                     AdminUnit.id.not_in(sent or [-1]))).all()
    assert overdue, "the demo has an overdue local report (Lộc Bình)"
    lines = lines_of(report(client, as_user, cid))
    shortcomings = section(lines, "a) Tồn tại, hạn chế", until=r"^b\) ")
    for name, due in overdue:
        unit = f"UBND {name[:1].lower()}{name[1:]}"
        assert any(line.startswith(f"- {unit} chưa gửi báo cáo") and short_date(due) in line for line in shortcomings)
        assert f"- {unit} khẩn trương gửi báo cáo kết quả thực hiện Chương trình về Sở;" in lines
    # a report sent after its due day is late, and said so
    late_unit = session.scalar(sa.select(LocalReport.admin_unit_id).where(LocalReport.campaign_id == cid,
                                                                          LocalReport.status == "accepted"))
    session.execute(sa.update(Task).where(Task.campaign_id == cid, Task.admin_unit_id == late_unit,
                                          Task.kind == "local_report").values(due_date=date(2024, 5, 1)))
    session.commit()
    name = session.get(AdminUnit, late_unit).name
    lines = lines_of(report(client, as_user, cid))
    assert any(line.startswith(f"- UBND {name[:1].lower()}{name[1:]} gửi báo cáo chậm")
               and f"hạn ngày {short_date(date(2024, 5, 1))}" in line
               for line in lines)


def revocation_lines(lines: list[str], product: str) -> tuple[list[str], list[str]]:
    to_province = section(lines, "1. Đối với Ủy ban nhân dân tỉnh")
    to_local = section(lines, next(line for line in lines if line.startswith("2. Đối với Ủy ban nhân dân các")))
    return ([x for x in to_province if "thu hồi" in x and product in x],
            [x for x in to_local if "thu hồi" in x and product in x])


def test_revocation_is_proposed_to_the_authority_that_certified_the_product(client, session, as_user):
    cid = seeded(session, 2024)
    f = session.scalars(sa.select(Finding).where(Finding.campaign_id == cid,
                                                 Finding.escalation == "revocation_proposed")).first()
    product = session.get(Product, f.product_id)
    visit = session.get(Visit, f.visit_id)
    district = session.scalar(sa.select(Agency.id).where(Agency.kind == "peoples_committee",
                                                         Agency.admin_unit_id == visit.admin_unit_id))
    name = session.get(AdminUnit, visit.admin_unit_id).name
    district_pc = f"UBND {name[:1].lower()}{name[1:]}"

    def certified_by(level: str, agency_id: int | None) -> tuple[list[str], list[str]]:
        session.execute(sa.update(Certificate).where(Certificate.product_id == product.id)
                        .values(certifying_level=level, certifying_agency_id=agency_id))
        session.commit()
        return revocation_lines(lines_of(report(client, as_user, cid)), product.name)

    # a 3-star product certified by the district before July 2025: the district's People's Committee decides
    to_province, to_local = certified_by("district", district)
    assert to_province == [] and len(to_local) == 1
    assert f"{district_pc} xem xét, quyết định thu hồi Giấy chứng nhận" in to_local[0]
    # certified by the province: the report asks the Provincial People's Committee
    to_province, to_local = certified_by("province", None)
    assert to_local == [] and len(to_province) == 1 and "Xem xét thu hồi Giấy chứng nhận" in to_province[0]
    # 5 stars, the ministry: named as it was in 2024
    to_province, to_local = certified_by("central", None)
    assert to_local == [] and "Báo cáo, đề nghị Bộ Nông nghiệp và Phát triển nông thôn xem xét thu hồi" in \
        to_province[0]


def test_product_table_shows_the_certificate_and_unit_of_the_inspection_day(client, session, as_user):
    cid = seeded(session, 2024)
    doc = Document(io.BytesIO(report(client, as_user, cid)))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    header = [c.text for c in table.rows[0].cells]
    rows = [dict(zip(header, (c.text for c in row.cells), strict=True)) for row in table.rows[1:]]
    valid_to = next(h for h in header if "hiệu lực đến" in h.lower())
    decision = next((h for h in header if "quyết định" in h.lower()), None)
    visited = dict(session.execute(sa.select(VisitTarget.product_id, sa.func.min(Visit.starts_at))
                                   .join(Visit, Visit.id == VisitTarget.visit_id)
                                   .where(Visit.campaign_id == cid).group_by(VisitTarget.product_id)).all())
    units = {session.get(AdminUnit, u).name for u in session.scalars(
        sa.select(Visit.admin_unit_id).where(Visit.campaign_id == cid))}
    later = 0
    for row in rows:
        pid = session.scalar(sa.select(Product.id).where(Product.name == row["Sản phẩm"]))
        moment = visited[pid]
        day = local_date(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
        certs = session.scalars(sa.select(Certificate).where(Certificate.product_id == pid)).all()
        after = [c for c in certs if c.decision_date > day]
        before = [c for c in certs if c.decision_date <= day]
        later += len(after)
        for c in after:  # a certificate decided after the visit is not the one of the inspection day
            assert row[valid_to] != short_date(c.valid_to) or any(
                short_date(b.valid_to) == row[valid_to] for b in before), (row, c.decision_date)
            assert decision is None or short_date(c.decision_date) not in row[decision]
        if not before:  # first certified after the visit: no certificate, no stars that day
            assert row["Hạng sao"] == "" and row[valid_to] == "", row
        assert row["Đơn vị"] in units  # the unit visited then (a 2024 district), not a commune formed in 2025
    assert later >= 2, "the demo has certificates dated after its 2024 visits"
