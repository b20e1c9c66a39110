"""The decision establishing the team (QĐ) and the conclusion notices (TB kết luận): drafted from the data as of their
own date (blank number and date), issued with the register's number and date and kept as issued, a correction being
a new version; the decision for the department's staff, the conclusions once the campaign reports, one per unit
inspected and one per producer with findings, each read by the staff and by whom it is addressed to."""
from __future__ import annotations

import io

import sqlalchemy as sa
from docx import Document

from ocop.audit.models import AuditEvent
from ocop.core.outbox import OutboxEvent
from ocop.org.models import User
from ocop.registry.models import Producer
from ocop.reports.models import IssuedDocument
from tests.campaigns.helpers import API, move, seeded, unit_id
from tests.conftest import count
from tests.reports.docx_text import DOCX, flat, get_docx, sha
from tests.reports.docx_text import lines as _lines


def lines(data: bytes) -> list[str]:
    return _lines(data, squeeze=True)


def producer(session, name: str) -> int:  # type: ignore[no-untyped-def]
    pid = session.scalar(sa.select(Producer.id).where(Producer.name == name))
    assert pid is not None, name
    return pid


def rows(session, campaign_id: int, kind: str) -> list[IssuedDocument]:  # type: ignore[no-untyped-def]
    session.commit()  # a fresh snapshot: what the requests committed
    return list(session.scalars(sa.select(IssuedDocument).where(IssuedDocument.campaign_id == campaign_id,
                                                                IssuedDocument.kind == kind)
                                .order_by(IssuedDocument.id)))


DONG_BANH = "HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành"


# ---- QĐ ---------------------------------------------------------------------------------------

def test_the_decision_names_the_team_as_of_its_date(client, session, as_user):
    cid = seeded(session, 2024)
    text = lines(get_docx(client, f"/campaigns/{cid}/documents/decision.docx", as_user("coordinator")).content)
    whole = flat(text)
    # the 2024 department, its notation in the blank number, the year of the blank date line
    assert "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in whole and "MÔI TRƯỜNG" not in whole
    assert "Số: /QĐ-SNN" in text and "Lạng Sơn, ngày tháng năm 2024" in text
    assert "QUYẾT ĐỊNH" in text and "QUYẾT ĐỊNH:" in text
    assert "GIÁM ĐỐC SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in text
    # the bases: the law on local government in force in 2024, the department's functions, the plan's number and date
    assert any(t.startswith("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015") for t in text)
    assert "Căn cứ chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Nông nghiệp và Phát triển nông thôn;" in text
    assert any(t.startswith("Căn cứ Kế hoạch số 45/KH-SNN ngày 15/3/2024 của Sở Nông nghiệp và Phát triển nông thôn")
               for t in text)
    assert "Theo đề nghị của Chi cục trưởng Chi cục Phát triển nông thôn." in text
    # Điều 1: one line per member, honorific, name, position with the agency of 2024, role in the team
    assert "1. Ông Lý Việt Hưng, Giám đốc Sở Nông nghiệp và PTNT – Trưởng đoàn;" in text
    assert "2. Ông Hoàng Văn Nam, Chuyên viên Chi cục QLCLNLSTS – Thành viên;" in text
    assert "5. Bà Nguyễn Thị Thu Hà, Chuyên viên Chi cục Phát triển nông thôn – Thư ký." in text
    assert "Ông/Bà" not in whole
    # Điều 2: report within 10 days of the last visit (22/5/2024), then dissolve; Điều 3 ends the body with './.'
    assert any("Trong thời hạn 10 ngày kể từ ngày kết thúc đợt kiểm tra cuối cùng (dự kiến ngày 22/5/2024)" in t
               for t in text)
    assert "4. Đoàn kiểm tra tự giải thể sau khi hoàn thành nhiệm vụ." in text
    closing = next(t for t in text if "chịu trách nhiệm thi hành Quyết định này" in t)
    assert closing.startswith("Chánh Văn phòng Sở, Thủ trưởng các cơ quan, đơn vị: ") and closing.endswith("./.")
    # recipients and signer from the plan's signer data
    assert text.index("- Như Điều 3;") + 1 == text.index("- Lưu: VT, PTNT.")
    assert "GIÁM ĐỐC" in text and "Lý Việt Hưng" in text


def test_a_decision_drafted_now_speaks_as_of_now(client, session, as_user):
    cid = seeded(session, 2026)  # a draft plan: its decision is a draft too, readable by the staff
    text = lines(get_docx(client, f"/campaigns/{cid}/documents/decision.docx", as_user("leader")).content)
    whole = flat(text)
    assert "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in whole and "PHÁT TRIỂN NÔNG THÔN" not in whole
    assert "Số: /QĐ-SNNMT" in text and "Lạng Sơn, ngày tháng năm 2026" in text
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" in text
    assert "1. Ông Lý Việt Hưng, Giám đốc Sở Nông nghiệp và Môi trường – Trưởng đoàn;" in text


def test_the_decision_is_issued_kept_as_issued_and_corrected(client, session, as_user):
    cid = seeded(session, 2024)
    co, leader = as_user("coordinator"), as_user("leader")
    path = f"/campaigns/{cid}/documents/decision.docx"
    issue = f"{API}/campaigns/{cid}/documents/decision/issue"
    for body, loc in (({"number": "12/TB-SNN", "date": "2024-05-08"}, "number"),
                      ({"number": "12/QĐ-SNN", "date": "2024-05-08", "unit_id": unit_id(session, "187")}, "unit_id"),
                      ({"number": "12/QĐ-SNN", "date": "2024-05-08", "producer_id": producer(session, DONG_BANH)},
                       "producer_id")):
        r = client.post(issue, json=body, headers=leader)
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", loc], body
    assert rows(session, cid, "decision") == []
    r = client.post(issue, json={"number": "12/qđ-snn", "date": "2024-05-08"}, headers=leader)
    assert r.status_code == 201, r.text
    first = r.json()
    assert (first["kind"], first["version"], first["number"], first["date"]) == ("decision", 1, "12/QĐ-SNN",
                                                                                  "2024-05-08")
    assert first["unit_id"] is None and first["producer_id"] is None and r.headers["location"] == first["path"]
    v1 = get_docx(client, path, co)
    text = lines(v1.content)
    assert "Số: 12/QĐ-SNN" in text and "Lạng Sơn, ngày 08 tháng 5 năm 2024" in text
    assert v1.headers["etag"] == f'"{first["sha256"]}"' == f'"{sha(v1.content)}"'
    [doc] = rows(session, cid, "decision")
    assert count(session, AuditEvent, AuditEvent.action == "document.issue", AuditEvent.entity_id == str(doc.id)) == 1
    assert count(session, OutboxEvent, OutboxEvent.event_type == "document.issued",
                 OutboxEvent.aggregate_id == str(doc.id)) == 1
    # the secretary's name changes later: the issued decision does not change by a byte, a preview does
    secretary = session.scalars(sa.select(User).where(User.username == "coordinator")).one()
    secretary.full_name = "Nguyễn Thị Thu Hằng"
    session.commit()
    assert sha(get_docx(client, path, co).content) == first["sha256"]
    preview = client.post(f"{API}/document-templates/preview", data={"kind": "decision", "campaign_id": str(cid)},
                          headers=co)
    assert preview.status_code == 200 and any("Nguyễn Thị Thu Hằng" in t for t in lines(preview.content))
    # a correction: its reason first, then version 2; version 1 still served as issued
    r = client.post(issue, json={"number": "14/QĐ-SNN", "date": "2024-05-10"}, headers=leader)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "note"]
    r = client.post(issue, json={"number": "14/QĐ-SNN", "date": "2024-05-10", "note": "Đính chính họ tên thư ký"},
                    headers=leader)
    assert r.status_code == 201 and r.json()["version"] == 2, r.text
    latest = lines(get_docx(client, path, co).content)
    assert "Số: 14/QĐ-SNN" in latest and any("Nguyễn Thị Thu Hằng" in t for t in latest)
    old = get_docx(client, path, co, version=1)
    assert old.content == v1.content and "Số: 12/QĐ-SNN" in lines(old.content)
    r = client.get(f"{API}{path}", params={"version": 3}, headers=co)
    assert r.status_code == 404 and r.json()["code"] == "document_version_not_found"
    listed = client.get(f"{API}/campaigns/{cid}/documents", headers=co).json()
    kinds = [i["kind"] for i in listed["items"]]
    assert kinds.index("decision") == kinds.index("plan") + 1  # the decision after the plan
    info = next(i for i in listed["items"] if i["kind"] == "decision")
    assert (info["number"], info["version"]) == ("14/QĐ-SNN", 2)
    assert [(d["version"], d["number"]) for d in listed["issued"] if d["kind"] == "decision"] == [
        (1, "12/QĐ-SNN"), (2, "14/QĐ-SNN")]


def test_the_decision_is_for_the_departments_staff(client, session, as_user):
    cid = seeded(session, 2024)
    path = f"{API}/campaigns/{cid}/documents/decision.docx"
    for username in ("local_chilang", "producer_dongbanh"):
        r = client.get(path, headers=as_user(username))
        assert r.status_code == 403 and r.json()["code"] == "forbidden_role", username
        listed = client.get(f"{API}/campaigns/{cid}/documents", headers=as_user(username)).json()
        assert not [i for i in listed["items"] if i["kind"] == "decision"]
    assert client.get(path, headers=as_user("viewer")).status_code == 200
    r = client.get(path, params={"producer_id": producer(session, DONG_BANH)}, headers=as_user("viewer"))
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "producer_id"]
    for username in ("viewer", "inspector1", "local_chilang", "producer_dongbanh"):
        r = client.post(f"{API}/campaigns/{cid}/documents/decision/issue",
                        json={"number": "3/QĐ-SNN", "date": "2024-05-08"}, headers=as_user(username))
        assert r.status_code == 403, username
    assert client.get(f"{API}/campaigns/999999/documents/decision.docx", headers=as_user("leader")).status_code == 404
    draft_id = seeded(session, 2026)
    r = client.post(f"{API}/campaigns/{draft_id}/documents/decision/issue",
                    json={"number": "3/QĐ-SNNMT", "date": "2026-05-08"}, headers=as_user("leader"))
    assert r.status_code == 409 and r.json()["code"] == "campaign_not_issued"
    assert rows(session, cid, "decision") == rows(session, draft_id, "decision") == []


# ---- TB kết luận ------------------------------------------------------------------------------

def test_conclusions_wait_until_the_campaign_reports(client, session, as_user):
    cid = seeded(session, 2024)  # in progress
    co = as_user("coordinator")
    chilang = unit_id(session, "187")
    r = client.get(f"{API}/campaigns/{cid}/documents/conclusion.docx", params={"unit_id": chilang}, headers=co)
    assert r.status_code == 409 and r.json()["code"] == "campaign_not_reporting"
    r = client.post(f"{API}/campaigns/{cid}/documents/conclusion/issue",
                    json={"unit_id": chilang, "number": "20/TB-SNN", "date": "2024-07-05"}, headers=as_user("leader"))
    assert r.status_code == 409 and r.json()["code"] == "campaign_not_reporting"
    assert rows(session, cid, "conclusion") == []
    listed = client.get(f"{API}/campaigns/{cid}/documents", headers=co).json()
    assert not [i for i in listed["items"] if i["kind"] == "conclusion"]


def test_one_conclusion_per_unit_inspected_and_per_producer_with_findings(client, session, as_user):
    cid = seeded(session, 2024)
    co = as_user("coordinator")
    assert move(client, co, cid, "reporting").status_code == 200
    chilang, locbinh = unit_id(session, "187"), unit_id(session, "188")
    listed = client.get(f"{API}/campaigns/{cid}/documents", headers=co).json()
    conclusions = [(i["title"], i["unit_id"], i["producer_id"]) for i in listed["items"] if i["kind"] == "conclusion"]
    assert conclusions[:2] == [("Thông báo kết luận kiểm tra tại huyện Chi Lăng", chilang, None),
                               ("Thông báo kết luận kiểm tra tại huyện Lộc Bình", locbinh, None)]
    assert {p for _, _, p in conclusions[2:]} == {producer(session, n) for n in (
        DONG_BANH, "HTX Lúa Vy", "HTX Nông nghiệp xanh Lộc Bình", "HTX Nông trang sinh thái Mẫu Sơn")}
    path = f"/campaigns/{cid}/documents/conclusion.docx"
    text = lines(get_docx(client, path, co, unit_id=chilang).content)
    whole = flat(text)
    assert "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in whole and "Số: /TB-SNN" in text
    assert "Lạng Sơn, ngày tháng năm 2024" in text
    assert "Kết luận kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm tại huyện Chi Lăng" in text
    assert "Kính gửi: Ủy ban nhân dân huyện Chi Lăng." in text
    # what was good, what must be corrected, by whom and by when, and what follows otherwise (a 4-star product: the
    # province certified it)
    assert "- Sản phẩm Na Chi Lăng đã khắc phục tồn tại “chưa có sổ theo dõi tem”." in text
    assert any(t.startswith("- Sản phẩm Na Chi Lăng: mã QR trên tem không truy cập được") for t in text)
    assert any(f"{DONG_BANH}: khắc phục và báo cáo kết quả kèm hình ảnh (sản phẩm Na Chi Lăng); thời hạn hoàn thành "
               "trước ngày 03/6/2024" in t for t in text)
    assert any(t.startswith(f"- Sản phẩm Na Chi Lăng ({DONG_BANH}, 4 sao") and "sẽ đề nghị UBND tỉnh Lạng Sơn thu hồi"
               in t for t in text)
    assert "Sở Nông nghiệp và Phát triển nông thôn thông báo để Ủy ban nhân dân huyện Chi Lăng biết, thực hiện./." in text
    assert text.index("- Như trên;") < text.index(f"- {DONG_BANH} (thực hiện);") < text.index("- Lưu: VT, PTNT.")
    # Lộc Bình: a 3-star product certified in 2024 by the district, its revocation proposed to the district
    text = lines(get_docx(client, path, co, unit_id=locbinh).content)
    assert any("đã đề nghị UBND huyện Lộc Bình xem xét thu hồi Giấy chứng nhận sản phẩm OCOP" in t for t in text)
    # a producer's: addressed to it, its own findings only
    text = lines(get_docx(client, path, co, producer_id=producer(session, "HTX Lúa Vy")).content)
    assert "Kính gửi: HTX Lúa Vy." in text and "- UBND huyện Chi Lăng (phối hợp);" in text
    assert any("giấy chứng nhận cơ sở đủ điều kiện ATTP đã hết hạn" in t for t in text)
    assert not any("Na Chi Lăng" in t for t in text)
    # exactly one addressee; none that was not inspected or has no findings
    for params, loc in (({}, "unit_id"), ({"unit_id": chilang, "producer_id": producer(session, "HTX Lúa Vy")},
                                          "producer_id")):
        r = client.get(f"{API}{path}", params=params, headers=co)
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", loc], params
    other_unit = session.scalar(sa.text("SELECT id FROM admin_unit WHERE code = '06463'"))
    clean = session.scalar(sa.select(Producer.id).where(Producer.name.not_in([  # type: ignore[attr-defined]
        DONG_BANH, "HTX Lúa Vy", "HTX Nông nghiệp xanh Lộc Bình", "HTX Nông trang sinh thái Mẫu Sơn"])).limit(1))
    for params in ({"unit_id": other_unit}, {"producer_id": clean}):
        r = client.get(f"{API}{path}", params=params, headers=co)
        assert r.status_code == 404 and r.json()["code"] == "conclusion_not_found", params


def test_conclusions_are_issued_and_read_by_whom_they_are_addressed_to(client, session, as_user):
    cid = seeded(session, 2024)
    co, leader = as_user("coordinator"), as_user("leader")
    assert move(client, co, cid, "reporting").status_code == 200
    chilang = unit_id(session, "187")
    dong_banh, lua_vy = producer(session, DONG_BANH), producer(session, "HTX Lúa Vy")
    path = f"/campaigns/{cid}/documents/conclusion.docx"
    issue = f"{API}/campaigns/{cid}/documents/conclusion/issue"
    # the addressees read no draft
    for username, params in (("local_chilang", {"unit_id": chilang}), ("producer_dongbanh", {"producer_id": dong_banh})):
        r = client.get(f"{API}{path}", params=params, headers=as_user(username))
        assert r.status_code == 404 and r.json()["code"] == "conclusion_not_found", username
    for body, loc in (({"number": "20/TB-SNN", "date": "2024-07-05"}, "unit_id"),
                      ({"unit_id": chilang, "producer_id": dong_banh, "number": "20/TB-SNN", "date": "2024-07-05"},
                       "producer_id"),
                      ({"unit_id": chilang, "number": "20/BC-SNN", "date": "2024-07-05"}, "number")):
        r = client.post(issue, json=body, headers=leader)
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", loc], body
    r = client.post(f"{API}/campaigns/{cid}/documents/notice/issue",
                    json={"producer_id": dong_banh, "number": "20/TB-SNN", "date": "2024-07-05"}, headers=leader)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "producer_id"]
    r = client.post(issue, json={"unit_id": chilang, "number": "20/TB-SNN", "date": "2024-07-05"},
                    headers=as_user("inspector1"))
    assert r.status_code == 403
    assert rows(session, cid, "conclusion") == []
    # the unit's and two producers' notices, each its own version 1
    r = client.post(issue, json={"unit_id": chilang, "number": "20/TB-SNN", "date": "2024-07-05"}, headers=leader)
    assert r.status_code == 201, r.text
    assert (r.json()["unit_id"], r.json()["unit_name"], r.json()["version"]) == (chilang, "Huyện Chi Lăng", 1)
    r = client.post(issue, json={"producer_id": dong_banh, "number": "21/TB-SNN", "date": "2024-07-05"},
                    headers=leader)
    assert r.status_code == 201, r.text
    mine = r.json()
    assert (mine["producer_id"], mine["producer_name"], mine["unit_id"], mine["version"]) == (
        dong_banh, DONG_BANH, None, 1)
    assert mine["path"] == f"{API}{path}?producer_id={dong_banh}&version=1"
    r = client.post(issue, json={"producer_id": lua_vy, "number": "22/TB-SNN", "date": "2024-07-05"}, headers=leader)
    assert r.status_code == 201 and r.json()["version"] == 1, r.text
    r = client.post(issue, json={"producer_id": lua_vy, "number": "21/TB-SNN", "date": "2024-07-06", "note": "Sửa"},
                    headers=leader)
    assert r.status_code == 409 and r.json()["code"] == "document_number_taken"
    issued = get_docx(client, path, co, producer_id=dong_banh)
    text = lines(issued.content)
    assert "Số: 21/TB-SNN" in text and "Lạng Sơn, ngày 05 tháng 7 năm 2024" in text
    assert issued.headers["etag"] == f'"{mine["sha256"]}"'
    # each addressee reads its own, as issued; not another's
    assert get_docx(client, path, as_user("producer_dongbanh"), producer_id=dong_banh).content == issued.content
    unit_copy = get_docx(client, path, as_user("local_chilang"), unit_id=chilang)
    assert "Số: 20/TB-SNN" in lines(unit_copy.content)
    for username, params in (("producer_dongbanh", {"producer_id": lua_vy}),
                             ("producer_dongbanh", {"unit_id": chilang}),
                             ("local_locbinh", {"unit_id": chilang}),
                             ("local_chilang", {"producer_id": dong_banh})):
        r = client.get(f"{API}{path}", params=params, headers=as_user(username))
        assert r.status_code == 404 and r.json()["code"] == "conclusion_not_found", (username, params)
    listed = client.get(f"{API}/campaigns/{cid}/documents", headers=as_user("producer_dongbanh")).json()
    assert [(d["kind"], d["producer_id"], d["number"]) for d in listed["issued"]
            if d["kind"] != "plan"] == [("conclusion", dong_banh, "21/TB-SNN")]
    assert [(i["kind"], i["producer_id"], i["number"]) for i in listed["items"] if i["kind"] == "conclusion"] == [
        ("conclusion", dong_banh, "21/TB-SNN")]
    listed = client.get(f"{API}/campaigns/{cid}/documents", headers=as_user("local_chilang")).json()
    assert [(d["unit_id"], d["number"]) for d in listed["issued"] if d["kind"] == "conclusion"] == [
        (chilang, "20/TB-SNN")]
    assert not [d for d in client.get(f"{API}/campaigns/{cid}/documents", headers=as_user("local_locbinh"))
                .json()["issued"] if d["kind"] == "conclusion"]
    # a correction of the producer's is its version 2; version 1 is still served as issued
    r = client.post(issue, json={"producer_id": dong_banh, "number": "23/TB-SNN", "date": "2024-07-08",
                                 "note": "Bổ sung thời hạn khắc phục"}, headers=leader)
    assert r.status_code == 201 and r.json()["version"] == 2, r.text
    assert "Số: 23/TB-SNN" in lines(get_docx(client, path, as_user("producer_dongbanh"), producer_id=dong_banh).content)
    assert get_docx(client, path, co, producer_id=dong_banh, version=1).content == issued.content
    versions = [(d.scope_unit_id, d.scope_producer_id, d.version) for d in rows(session, cid, "conclusion")]
    assert versions == [(chilang, None, 1), (None, dong_banh, 1), (None, lua_vy, 1), (None, dong_banh, 2)]
    info = next(i for i in client.get(f"{API}/campaigns/{cid}/documents", headers=co).json()["items"]
                if i["kind"] == "conclusion" and i["producer_id"] == dong_banh)
    assert (info["number"], info["version"]) == ("23/TB-SNN", 2)


def test_the_administrator_replaces_the_decisions_and_conclusions_templates(client, session, as_user):
    admin, co = as_user("admin"), as_user("coordinator")
    cid = seeded(session, 2024)
    assert move(client, co, cid, "reporting").status_code == 200
    kinds = {k["kind"] for k in client.get(f"{API}/document-templates/kinds", headers=admin).json()["items"]}
    assert {"decision", "conclusion"} <= kinds
    for kind, edit in (("decision", ("{%p set report_days = 10 %}", "{%p set report_days = 15 %}")),
                       ("conclusion", ("Kết quả khắc phục (kèm hồ sơ, hình ảnh minh chứng)",
                                       "Kết quả khắc phục (kèm hồ sơ minh chứng)"))):
        r = client.get(f"{API}/document-templates/defaults/{kind}.docx", headers=admin)
        assert r.status_code == 200 and r.headers["content-type"] == DOCX
        doc = Document(io.BytesIO(r.content))
        [p] = [p for p in doc.paragraphs if edit[0] in p.text]
        for run in p.runs:
            run.text = run.text.replace(edit[0], edit[1])
        out = io.BytesIO()
        doc.save(out)
        r = client.post(f"{API}/document-templates/{kind}", headers=admin,
                        files={"file": (f"{kind}.docx", out.getvalue(), DOCX)})
        assert r.status_code == 201 and r.json()["active"], r.text
    text = lines(get_docx(client, f"/campaigns/{cid}/documents/decision.docx", co).content)
    assert any(t.startswith("3. Trong thời hạn 15 ngày kể từ ngày kết thúc đợt kiểm tra cuối cùng") for t in text)
    text = lines(get_docx(client, f"/campaigns/{cid}/documents/conclusion.docx", co,
                     unit_id=unit_id(session, "187")).content)
    assert any(t.startswith("Kết quả khắc phục (kèm hồ sơ minh chứng) gửi về") for t in text)
