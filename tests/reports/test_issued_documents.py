"""Issued documents: the plan, a unit's notice and the report are drafts until issued with the number and date the
clerk takes from the register; then the exact file is kept and served as issued (whatever changes later), a
correction is a new version and the old one stays readable."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ocop.audit.models import AuditEvent
from ocop.core.outbox import OutboxEvent
from ocop.integrations import edxml
from ocop.org.models import User
from ocop.reports import render
from ocop.reports.models import IssuedDocument
from tests.campaigns.helpers import API, add_head, agency, draft, move, seeded, unit_id, user
from tests.conftest import count
from tests.reports.docx_text import flat, get_docx, lines, sha


def issued_rows(session, campaign_id: int, kind: str) -> list[IssuedDocument]:  # type: ignore[no-untyped-def]
    session.commit()  # a fresh snapshot: what the requests committed
    return list(session.scalars(sa.select(IssuedDocument).where(IssuedDocument.campaign_id == campaign_id,
                                                                IssuedDocument.kind == kind)
                                .order_by(IssuedDocument.scope_unit_id, IssuedDocument.version)))


def submitted_2024_plan(client, session, co):  # type: ignore[no-untyped-def]
    c = draft(client, session, co, year=2024, issuing_agency_id=agency(session, "SNN"),
              title="Kiểm tra tình hình thực hiện Chương trình mỗi xã một sản phẩm năm 2024",
              period={"kind": "quarter", "quarter": 2, "year": 2024})
    add_head(client, session, co, c["id"])
    assert move(client, co, c["id"], "submitted").status_code == 200
    return c


def test_an_issued_plan_is_kept_as_issued_with_the_registers_number(client, session, as_user):
    co, leader = as_user("coordinator"), as_user("leader")
    c = submitted_2024_plan(client, session, co)
    path = f"/campaigns/{c['id']}/documents/plan.docx"
    # the draft: a blank number, rendered from the live data
    assert "Số:      /KH-SNN" in lines(get_docx(client, path, co).content)
    # no number: the system does not make one up, and nothing is issued
    r = move(client, leader, c["id"], "issued", document_date="2024-03-05")
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "document_number"]
    assert issued_rows(session, c["id"], "plan") == []
    r = move(client, leader, c["id"], "issued", document_number="1/KH-SNN", document_date="2024-03-05")
    assert r.status_code == 200, r.text
    assert r.json()["document_number"] == "01/KH-SNN"
    [v1] = issued_rows(session, c["id"], "plan")
    assert (v1.version, v1.number, v1.document_date.isoformat()) == (1, "01/KH-SNN", "2024-03-05")
    assert v1.issued_by == user(session, "leader")
    issued = get_docx(client, path, co)
    text = lines(issued.content)
    assert "Số: 01/KH-SNN" in text and "Lạng Sơn, ngày 05 tháng 3 năm 2024" in text
    assert "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in flat(text)  # the agency of the plan's date
    assert issued.headers["etag"] == f'"{v1.sha256}"' == f'"{sha(issued.content)}"'
    # a member added after the issue: the issued plan does not change by a byte, the draft data does
    newcomer = session.scalar(sa.select(User.full_name).where(User.username == "inspector1"))
    r = client.post(f"{API}/campaigns/{c['id']}/team", json={"user_id": user(session, "inspector1"), "role": "member"},
                    headers=co)
    assert r.status_code == 201, r.text
    again = get_docx(client, path, co)
    assert sha(again.content) == sha(issued.content) == v1.sha256
    assert not any(newcomer in line for line in lines(again.content))
    live = client.post(f"{API}/document-templates/preview", data={"kind": "plan", "campaign_id": str(c["id"])},
                       headers=co)
    assert live.status_code == 200 and any(newcomer in line for line in lines(live.content))
    assert sha(get_docx(client, path, as_user("viewer"), version=1).content) == v1.sha256
    r = client.get(f"{API}{path}", params={"version": 2}, headers=co)
    assert r.status_code == 404 and r.json()["code"] == "document_version_not_found"
    # audited and announced
    assert count(session, AuditEvent, AuditEvent.action == "document.issue",
                 AuditEvent.entity_id == str(v1.id)) == 1
    assert count(session, OutboxEvent, OutboxEvent.event_type == "document.issued",
                 OutboxEvent.aggregate_id == str(v1.id)) == 1
    # an amendment of the content alone keeps the issued file; a new number issues the plan again as version 2
    url = f"{API}/campaigns/{c['id']}/amendments"
    current = client.get(f"{API}/campaigns/{c['id']}", headers=co).json()
    r = client.post(url, json={"reason": "Bổ sung người liên hệ", "changes": {"closing": "Trên đây là kế hoạch./."}},
                    headers={**leader, "If-Match": f'"{current["version"]}"'})
    assert r.status_code == 200, r.text
    assert len(issued_rows(session, c["id"], "plan")) == 1
    assert sha(get_docx(client, path, co).content) == v1.sha256
    r = client.post(url, json={"reason": "Ban hành lại sau khi bổ sung thành viên", "document_number": "9/KH-SNN",
                               "changes": {"document_date": "2024-03-20"}},
                    headers={**leader, "If-Match": f'"{r.json()["version"]}"'})
    assert r.status_code == 200, r.text
    v1_again, v2 = issued_rows(session, c["id"], "plan")
    assert (v2.version, v2.number, v2.note) == (2, "09/KH-SNN", "Ban hành lại sau khi bổ sung thành viên")
    latest = lines(get_docx(client, path, co).content)
    assert "Số: 09/KH-SNN" in latest and "Lạng Sơn, ngày 20 tháng 3 năm 2024" in latest
    assert any(newcomer in line for line in latest)
    old = get_docx(client, path, co, version=1)
    assert sha(old.content) == v1_again.sha256 == v1.sha256 and "Số: 01/KH-SNN" in lines(old.content)
    listed = client.get(f"{API}/campaigns/{c['id']}/documents", headers=co).json()
    plans = [d for d in listed["issued"] if d["kind"] == "plan"]
    assert [(d["version"], d["number"], d["sha256"]) for d in plans] == [(1, "01/KH-SNN", v1.sha256),
                                                                        (2, "09/KH-SNN", v2.sha256)]
    assert plans[0]["issued_by_name"] == "Lý Việt Hưng" and plans[0]["date"] == "2024-03-05"
    assert next(i for i in listed["items"] if i["kind"] == "plan")["number"] == "09/KH-SNN"


def test_a_notice_is_issued_for_its_unit_and_a_correction_is_a_new_version(client, session, as_user):
    cid = seeded(session, 2024)
    co = as_user("coordinator")
    chilang, locbinh = unit_id(session, "187"), unit_id(session, "188")
    path = f"/campaigns/{cid}/documents/notice.docx"
    issue = f"{API}/campaigns/{cid}/documents/notice/issue"
    # before: a blank number and date, the year kept
    draft_text = lines(get_docx(client, path, co, unit_id=chilang).content)
    assert any(t.startswith("Số:      /TB-") for t in draft_text)
    assert any(t.startswith("Lạng Sơn, ngày     tháng     năm") for t in draft_text)
    r = client.post(issue, json={"unit_id": chilang, "number": "5/TB-SNN", "date": "2024-05-06"}, headers=co)
    assert r.status_code == 201, r.text
    first = r.json()
    assert (first["version"], first["number"], first["unit_id"], first["date"]) == (1, "05/TB-SNN", chilang,
                                                                                   "2024-05-06")
    assert r.headers["location"] == first["path"]
    v1 = get_docx(client, path, co, unit_id=chilang)
    text = lines(v1.content)
    assert "Số: 05/TB-SNN" in text and "Lạng Sơn, ngày 06 tháng 5 năm 2024" in text
    assert "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in flat(text)
    assert sha(v1.content) == first["sha256"] and v1.headers["etag"] == f'"{first["sha256"]}"'
    # issuing again is a correction: without its reason nothing is kept
    r = client.post(issue, json={"unit_id": chilang, "number": "7/TB-SNN", "date": "2024-05-08"}, headers=co)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "note"]
    assert len(issued_rows(session, cid, "notice")) == 1
    r = client.post(issue, json={"unit_id": chilang, "number": "7/TB-SNN", "date": "2024-05-08",
                                 "note": "Đính chính thời gian làm việc"}, headers=as_user("leader"))
    assert r.status_code == 201, r.text
    assert (r.json()["version"], r.json()["number"]) == (2, "07/TB-SNN")
    latest = lines(get_docx(client, path, co, unit_id=chilang).content)
    assert "Số: 07/TB-SNN" in latest and "Lạng Sơn, ngày 08 tháng 5 năm 2024" in latest
    old = get_docx(client, path, co, unit_id=chilang, version=1)
    assert old.content == v1.content and "Số: 05/TB-SNN" in lines(old.content)
    r = client.get(f"{API}{path}", params={"unit_id": chilang, "version": 3}, headers=co)
    assert r.status_code == 404 and r.json()["code"] == "document_version_not_found"
    # the other unit's notice is still a draft; a number is one document's in its year
    assert any(t.startswith("Số:      /TB-") for t in lines(get_docx(client, path, co, unit_id=locbinh).content))
    r = client.post(issue, json={"unit_id": locbinh, "number": "07/TB-SNN", "date": "2024-05-09"}, headers=co)
    assert r.status_code == 409 and r.json()["code"] == "document_number_taken"
    # the unit's officer reads its issued notice as issued; others' officers and producers do not
    mine = get_docx(client, path, as_user("local_chilang"), unit_id=chilang)
    assert "Số: 07/TB-SNN" in lines(mine.content)
    assert client.get(f"{API}{path}", params={"unit_id": chilang}, headers=as_user("local_locbinh")).status_code == 404
    assert client.get(f"{API}{path}", params={"unit_id": chilang},
                      headers=as_user("producer_dongbanh")).status_code == 404
    listed = client.get(f"{API}/campaigns/{cid}/documents", headers=co).json()
    notices = [(d["unit_id"], d["version"], d["number"]) for d in listed["issued"] if d["kind"] == "notice"]
    assert notices == [(chilang, 1, "05/TB-SNN"), (chilang, 2, "07/TB-SNN")]
    info = next(i for i in listed["items"] if i["kind"] == "notice" and i["unit_id"] == chilang)
    assert (info["number"], info["version"]) == ("07/TB-SNN", 2)
    assert not [d for d in client.get(f"{API}/campaigns/{cid}/documents", headers=as_user("local_locbinh"))
                .json()["issued"] if d["kind"] == "notice"]
    # the e-office package carries the issued file, and its number and date in the header
    pkg = edxml.parse(client.get(f"{API}/campaigns/{cid}/documents/notice.edxml", params={"unit_id": chilang},
                                 headers=co).content)
    assert (pkg.code_number, pkg.code_notation) == ("07", "TB-SNN")
    assert pkg.promulgation_date is not None and pkg.promulgation_date.isoformat() == "2024-05-08"
    assert pkg.attachments[0].data == get_docx(client, path, co, unit_id=chilang).content


def test_the_report_is_issued_with_its_number_and_its_pdf_made_once(client, session, as_user, monkeypatch):
    cid = seeded(session, 2024)
    leader = as_user("leader")
    issue = f"{API}/campaigns/{cid}/documents/report/issue"
    r = client.post(issue, json={"number": "2/TB-SNN", "date": "2024-07-01"}, headers=leader)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "number"]
    r = client.post(issue, json={"unit_id": unit_id(session, "187"), "number": "2/BC-SNN", "date": "2024-07-01"},
                    headers=leader)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "unit_id"]
    r = client.post(issue, json={"number": "2/BC-SNN", "date": "2024-07-01"}, headers=leader)
    assert r.status_code == 201, r.text
    text = lines(get_docx(client, f"/campaigns/{cid}/documents/report.docx", leader).content)
    assert "Số: 02/BC-SNN" in text and "Lạng Sơn, ngày 01 tháng 7 năm 2024" in text
    pdf = client.get(f"{API}/campaigns/{cid}/documents/report.pdf", headers=leader)
    [doc] = issued_rows(session, cid, "report")
    if render.soffice() is None:  # no LibreOffice here: as any PDF, and nothing kept
        assert pdf.status_code == 409 and pdf.json()["code"] == "pdf_unavailable"
        assert doc.pdf_storage_key is None
        return
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and doc.pdf_storage_key
    monkeypatch.setattr(render, "to_pdf", lambda data: pytest.fail("the kept PDF is served, not made again"))
    again = client.get(f"{API}/campaigns/{cid}/documents/report.pdf", headers=leader)
    assert again.status_code == 200 and again.content == pdf.content


@pytest.mark.parametrize("username", ["viewer", "inspector1", "producer_dongbanh", "local_chilang"])
def test_only_the_campaigns_runners_issue(client, session, as_user, username):
    cid = seeded(session, 2024)
    r = client.post(f"{API}/campaigns/{cid}/documents/report/issue", json={"number": "3/BC-SNN", "date": "2024-07-01"},
                    headers=as_user(username))
    assert r.status_code == 403
    assert issued_rows(session, cid, "report") == []


def test_issuing_needs_the_registers_number_an_issued_plan_and_a_campaign_one_sees(client, session, as_user):
    cid = seeded(session, 2024)
    co = as_user("coordinator")
    issue = f"{API}/campaigns/{cid}/documents/notice/issue"
    chilang = unit_id(session, "187")
    for body, loc in (({"unit_id": chilang, "date": "2024-05-06"}, "number"),
                      ({"unit_id": chilang, "number": "TB-SNN", "date": "2024-05-06"}, "number"),
                      ({"unit_id": chilang, "number": "5/TB", "date": "2024-05-06"}, "number"),
                      ({"unit_id": chilang, "number": "5/TB-SNN"}, "date"),
                      ({"number": "5/TB-SNN", "date": "2024-05-06"}, "unit_id")):
        r = client.post(issue, json=body, headers=co)
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", loc], body
    assert issued_rows(session, cid, "notice") == []
    r = client.post(f"{API}/campaigns/{cid}/documents/plan/issue", json={"number": "5/KH-SNN", "date": "2024-05-06"},
                    headers=co)  # the plan is issued by its campaign's transition
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["path", "kind"]
    assert client.post(f"{API}/campaigns/999999/documents/notice/issue", headers=co,
                       json={"unit_id": chilang, "number": "5/TB-SNN", "date": "2024-05-06"}).status_code == 404
    draft_id = seeded(session, 2026)
    r = client.post(f"{API}/campaigns/{draft_id}/documents/report/issue", json={"number": "1/BC-SNNMT",
                                                                                "date": "2026-05-06"}, headers=co)
    assert r.status_code == 409 and r.json()["code"] == "campaign_not_issued"
    assert issued_rows(session, draft_id, "report") == []
