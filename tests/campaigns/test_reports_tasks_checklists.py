"""Local reports, tasks, checklists, and what each role sees of a campaign."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from ocop.campaigns.models import ChecklistItem, ChecklistTemplate, LocalReport, LocalReportAttachment
from ocop.core.dates import today
from ocop.core.outbox import OutboxEvent
from ocop.reports.models import IssuedDocument
from tests.campaigns.helpers import API, draft, issued, move, seeded, unit_id, user, visit
from tests.conftest import count

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def chilang_report(client, session, as_user, campaign_id):
    r = client.post(f"{API}/campaigns/{campaign_id}/local-reports", json={
        "admin_unit_id": unit_id(session, "187"),
        "figures": {"products_by_stars": {"3": 6, "4": 5}, "producers_by_kind": {"cooperative": 4}, "jobs": 120,
                    "revenue_million_vnd": 3500.5}}, headers=as_user("local_chilang"))
    assert r.status_code == 201, r.text
    return r.json()


def report_url(campaign_id, report_id, tail=""):
    return f"{API}/campaigns/{campaign_id}/local-reports/{report_id}{tail}"


@pytest.fixture
def running(client, session, as_user):
    """An issued campaign over Chi Lăng and Lộc Bình, with a session in Chi Lăng in ten days."""
    c = issued(client, session, as_user, unit_ids=[unit_id(session, "187"), unit_id(session, "188")])
    day = today() + timedelta(days=10)
    r = visit(client, as_user("coordinator"), c["id"], unit_id(session, "187"), f"{day}T08:00:00+07:00",
              f"{day}T11:00:00+07:00")
    assert r.status_code == 201, r.text
    return c


def test_local_report_lifecycle_and_its_task(client, session, as_user, running):
    cid, local, co = running["id"], as_user("local_chilang"), as_user("coordinator")
    report = chilang_report(client, session, as_user, cid)
    assert report["status"] == "draft" and report["allowed_transitions"] == ["submitted"]
    assert report["figures"]["products_by_stars"] == {"3": 6, "4": 5} and not report["late"]
    url = report_url(cid, report["id"])
    r = client.post(f"{url}/transitions", json={"to": "submitted"}, headers=local)
    assert r.status_code == 409 and r.json()["code"] == "local_report_incomplete"
    r = client.patch(url, json={"results": "Đã triển khai kế hoạch OCOP 2026.", "difficulties": "Thiếu kinh phí"},
                     headers={**local, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["version"] == 2
    # the coordinator cannot accept a draft; the officer cannot accept at all
    assert client.post(f"{url}/transitions", json={"to": "accepted"}, headers=co).status_code == 409
    r = client.post(f"{url}/transitions", json={"to": "submitted"}, headers=local)
    assert r.status_code == 200 and r.json()["status"] == "submitted" and r.json()["late"] is False
    tasks = client.get(f"{API}/campaigns/{cid}/tasks", params={"kind": "local_report"}, headers=co).json()["items"]
    mine = next(t for t in tasks if t["admin_unit_id"] == unit_id(session, "187"))
    assert mine["status"] == "done"
    assert client.patch(url, json={"results": "sửa"}, headers={**local, "If-Match": '"3"'}).status_code == 409
    r = client.post(f"{url}/transitions", json={"to": "accepted"}, headers=local)
    assert r.status_code == 403 and r.json()["allowed"] == []
    r = client.post(f"{url}/transitions", json={"to": "returned"}, headers=co)
    assert r.status_code == 422
    r = client.post(f"{url}/transitions", json={"to": "returned", "note": "Bổ sung số liệu việc làm"}, headers=co)
    assert r.status_code == 200 and r.json()["review_comment"] == "Bổ sung số liệu việc làm"
    assert client.get(f"{API}/campaigns/{cid}/tasks/{mine['id']}", headers=co).json()["status"] == "open"
    client.patch(url, json={"figures": {"jobs": 140}}, headers={**local, "If-Match": '"4"'})
    assert client.post(f"{url}/transitions", json={"to": "submitted"}, headers=local).status_code == 200
    r = client.post(f"{url}/transitions", json={"to": "accepted"}, headers=as_user("leader"))
    assert r.status_code == 200 and r.json()["status"] == "accepted" and r.json()["allowed_transitions"] == []
    kinds = [e for (e,) in session.execute(sa.select(OutboxEvent.event_type).where(
        OutboxEvent.aggregate_type == "local_report").order_by(OutboxEvent.id))]
    assert kinds[-4:] == ["local_report.submitted", "local_report.returned", "local_report.submitted",
                          "local_report.accepted"]


def test_reports_only_for_own_unit_once_and_while_open(client, session, as_user, running):
    cid = running["id"]
    r = client.post(f"{API}/campaigns/{cid}/local-reports", json={"admin_unit_id": unit_id(session, "188")},
                    headers=as_user("local_chilang"))
    assert r.status_code == 422
    report = chilang_report(client, session, as_user, cid)
    r = client.post(f"{API}/campaigns/{cid}/local-reports", json={"admin_unit_id": unit_id(session, "187")},
                    headers=as_user("local_chilang"))
    assert r.status_code == 409
    # the Lộc Bình officer sees the campaign but not Chi Lăng's report
    locbinh = as_user("local_locbinh")
    assert client.get(report_url(cid, report["id"]), headers=locbinh).status_code == 404
    assert client.get(f"{API}/campaigns/{cid}/local-reports", headers=locbinh).json()["items"] == []
    r = client.post(f"{API}/campaigns/{cid}/local-reports", json={"admin_unit_id": 10**9},
                    headers=as_user("coordinator"))
    assert r.status_code == 422
    # bad figures are refused
    r = client.patch(report_url(cid, report["id"]), json={"figures": {"jobs": -3}},
                     headers={**as_user("local_chilang"), "If-Match": '"1"'})
    assert r.status_code == 422
    r = client.patch(report_url(cid, report["id"]), json={"figures": {"products_by_stars": {"2": 1}}},
                     headers={**as_user("local_chilang"), "If-Match": '"1"'})
    assert r.status_code == 422
    # no reports on a draft (local officers do not even see it)
    d = draft(client, session, as_user("coordinator"), unit_ids=[unit_id(session, "187")])
    r = client.post(f"{API}/campaigns/{d['id']}/local-reports", json={"admin_unit_id": unit_id(session, "187")},
                    headers=as_user("coordinator"))
    assert r.status_code == 409
    assert client.post(f"{API}/campaigns/{d['id']}/local-reports", json={"admin_unit_id": unit_id(session, "187")},
                       headers=as_user("local_chilang")).status_code == 404


def test_lateness_follows_the_due_date(client, session, as_user):
    # seeded 2024 campaign: Chi Lăng sent on 7 May (due 8 May), Lộc Bình's draft is long past due (15 May)
    cid = seeded(session, 2024)
    items = {r["admin_unit_name"]: r for r in client.get(f"{API}/campaigns/{cid}/local-reports",
                                                         headers=as_user("coordinator")).json()["items"]}
    assert (items["Huyện Chi Lăng"]["status"], items["Huyện Chi Lăng"]["late"]) == ("accepted", False)
    assert items["Huyện Chi Lăng"]["due_date"] == "2024-05-08"
    assert (items["Huyện Lộc Bình"]["status"], items["Huyện Lộc Bình"]["late"]) == ("draft", True)
    from ocop.campaigns.service import is_late

    due = today()
    assert not is_late(due, "draft", None, due)  # the due day itself is still in time
    assert is_late(due, "draft", None, due + timedelta(days=1))
    assert is_late(due, "submitted", due + timedelta(days=1), due + timedelta(days=5))
    assert not is_late(due, "accepted", due, due + timedelta(days=30))
    assert not is_late(None, "draft", None, due)


def test_attachments_are_checked_stored_and_downloaded(client, session, as_user, running, storage_dir, settings,
                                                       monkeypatch):
    cid = running["id"]
    report = chilang_report(client, session, as_user, cid)
    url, local = report_url(cid, report["id"], "/attachments"), as_user("local_chilang")
    r = client.post(url, files={"file": ("../../bao-cao Chi Lăng.pdf", PDF, "application/pdf")}, headers=local)
    assert r.status_code == 201, r.text
    att = r.json()
    assert att["filename"] == "bao-cao Chi Lăng.pdf" and att["size"] == len(PDF) and len(att["sha256"]) == 64
    got = client.get(f"{url}/{att['id']}", headers=local)
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert "bao-cao" in got.headers["content-disposition"]
    assert client.get(f"{url}/{att['id']}", headers=as_user("local_locbinh")).status_code == 404
    r = client.post(url, files={"file": ("so-lieu.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")}, headers=local)
    assert r.status_code == 415 and r.json()["code"] == "content_mismatch"
    r = client.post(url, files={"file": ("virus.exe", b"MZ\x90\x00", "application/octet-stream")}, headers=local)
    assert r.status_code == 415
    monkeypatch.setattr(settings, "upload_max_bytes", 1024)
    r = client.post(url, files={"file": ("lon.pdf", PDF + b"0" * 2048, "application/pdf")}, headers=local)
    assert r.status_code == 413
    assert count(session, LocalReportAttachment) == 1
    issued_files = set(session.scalars(sa.select(IssuedDocument.storage_key)))  # the plan as issued is kept too
    stored = [p for p in storage_dir.rglob("*") if p.is_file() and p.relative_to(storage_dir).as_posix()
              not in issued_files]
    assert len(stored) == 1  # refused files leave nothing behind


def test_tasks_overdue_and_who_may_change_them(client, session, as_user, running):
    cid, co = running["id"], as_user("coordinator")
    yesterday = (today() - timedelta(days=1)).isoformat()
    r = client.post(f"{API}/campaigns/{cid}/tasks", json={
        "description": "Chuẩn bị phương tiện cho đoàn", "assignee_user_id": user(session, "inspector1"),
        "due_date": yesterday}, headers=co)
    assert r.status_code == 201 and r.json()["overdue"] is True and r.json()["kind"] == "follow_up"
    task = r.json()
    overdue = client.get(f"{API}/campaigns/{cid}/tasks", params={"overdue": True}, headers=co).json()["items"]
    assert [t["id"] for t in overdue] == [task["id"]]
    url = f"{API}/campaigns/{cid}/tasks/{task['id']}"
    # the assignee changes the status, nothing else
    ins = as_user("inspector1")
    client.post(f"{API}/campaigns/{cid}/team", json={"user_id": user(session, "inspector1")}, headers=co)
    assert client.patch(url, json={"due_date": today().isoformat()}, headers={**ins, "If-Match": '"1"'}) \
        .status_code == 403
    r = client.patch(url, json={"status": "done"}, headers={**ins, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["overdue"] is False and r.json()["done_at"]
    assert client.patch(url, json={"status": "open"}, headers={**co, "If-Match": '"1"'}).status_code == 412
    # the local officer moves their unit's report task, and sees no other unit's
    local = as_user("local_chilang")
    mine = client.get(f"{API}/campaigns/{cid}/tasks", headers=local).json()["items"]
    assert {t["admin_unit_id"] for t in mine} == {unit_id(session, "187")}
    r = client.patch(f"{API}/campaigns/{cid}/tasks/{mine[0]['id']}", json={"status": "in_progress"},
                     headers={**local, "If-Match": f'"{mine[0]["version"]}"'})
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    # plan tasks keep their issued wording
    plan = client.get(f"{API}/campaigns/{seeded(session, 2024)}/tasks", params={"kind": "plan"},
                      headers=co).json()["items"][0]
    r = client.patch(f"{API}/campaigns/{seeded(session, 2024)}/tasks/{plan['id']}", json={"description": "Khác"},
                     headers={**co, "If-Match": f'"{plan["version"]}"'})
    assert r.status_code == 409


def test_default_checklist_is_grouped_under_the_four_content_areas(client, session, as_user):
    cl = client.get(f"{API}/campaigns/{seeded(session, 2024)}/checklist", headers=as_user("inspector1")).json()
    assert [s["content_area"] for s in cl["sections"]] == [1, 2, 3, 4]
    assert cl["sections"][2]["title"].startswith("Công tác quản lý và sử dụng nhãn hiệu")
    items = [i for s in cl["sections"] for i in s["items"]]
    assert len(items) == 29 and not cl["editable"] and cl["template"]["status"] == "published"
    first = items[0]
    assert first["code"] == "ND1.01" and first["answer_type"] == "yes_no_na" and first["severity"] == "minor"
    assert {i["answer_type"] for i in items} == {"yes_no_na", "number", "text"}
    assert {i["severity"] for i in items} == {"observation", "minor", "major", "critical"}
    assert client.get(f"{API}/campaigns/{seeded(session, 2024)}/checklist",
                      headers=as_user("producer_dongbanh")).status_code == 404


def test_a_draft_edits_its_own_copy_and_issuing_freezes_it(client, session, as_user):
    co = as_user("coordinator")
    from tests.campaigns.helpers import add_head

    c = draft(client, session, co)
    shared = client.get(f"{API}/campaigns/{c['id']}/checklist", headers=co).json()
    assert shared["editable"] and shared["template"]["campaign_id"] is None
    item = {"code": "ND3.06", "content_area": 2, "question": "Tem truy xuất nguồn gốc được dán trên bao bì",
            "answer_type": "photo", "evidence": "photo", "severity": "minor"}
    r = client.post(f"{API}/campaigns/{c['id']}/checklist/items", json=item, headers=co)
    assert r.status_code == 201, r.text
    own = r.json()
    assert own["template"]["campaign_id"] == c["id"] and own["template"]["id"] != shared["template"]["id"]
    assert count(session, ChecklistItem, ChecklistItem.template_id == shared["template"]["id"]) == 29
    assert client.post(f"{API}/campaigns/{c['id']}/checklist/items", json=item, headers=co).status_code == 409
    r = client.patch(f"{API}/campaigns/{c['id']}/checklist/items/ND1.02", json={"severity": "minor"},
                     headers={**co, "If-Match": '"1"'})
    assert r.status_code == 200
    assert client.patch(f"{API}/campaigns/{c['id']}/checklist/items/ND1.02", json={"severity": "major"},
                        headers={**co, "If-Match": '"1"'}).status_code == 412
    assert client.delete(f"{API}/campaigns/{c['id']}/checklist/items/ND1.08", headers=co).status_code == 204
    r = client.post(f"{API}/campaigns/{c['id']}/checklist/items", json={**item, "code": "X1", "answer_type": "maybe"},
                    headers=co)
    assert r.status_code == 422
    add_head(client, session, co, c["id"])
    move(client, co, c["id"], "submitted")
    r = client.post(f"{API}/campaigns/{c['id']}/checklist/items", json={**item, "code": "X2"}, headers=co)
    assert r.status_code == 409 and r.json()["code"] == "checklist_frozen"
    assert move(client, as_user("leader"), c["id"], "issued", document_number="07/KH-SNNMT").status_code == 200
    frozen = client.get(f"{API}/campaigns/{c['id']}/checklist", headers=co).json()
    assert frozen["template"]["status"] == "frozen" and not frozen["editable"]
    codes = [i["code"] for s in frozen["sections"] for i in s["items"]]
    assert "ND3.06" in codes and "ND1.08" not in codes and len(codes) == 29


def test_template_versions_are_prepared_and_published(client, session, as_user):
    co = as_user("coordinator")
    templates = client.get(f"{API}/checklist-templates", headers=co).json()["items"]
    assert [(t["code"], t["version"], t["item_count"]) for t in templates] == [("ocop-post-certification", 1, 29)]
    r = client.post(f"{API}/checklist-templates/{templates[0]['id']}/versions", headers=co)
    assert r.status_code == 201 and r.json()["template"]["version"] == 2 and r.json()["editable"]
    v2 = r.json()["template"]["id"]
    assert client.post(f"{API}/checklist-templates/{templates[0]['id']}/versions", headers=co).status_code == 409
    assert client.post(f"{API}/checklist-templates/{templates[0]['id']}/items", json={
        "code": "N1", "content_area": 1, "question": "Q", "answer_type": "text", "severity": "observation"},
        headers=co).status_code == 409  # version 1 is published: it never changes
    r = client.post(f"{API}/checklist-templates/{v2}/items", json={
        "code": "ND4.09", "content_area": 4, "question": "Có hồ sơ truy xuất nguồn gốc lô hàng",
        "answer_type": "yes_no_na", "severity": "major"}, headers=co)
    assert r.status_code == 201
    assert client.post(f"{API}/checklist-templates/{v2}/publish", headers=as_user("viewer")).status_code == 403
    assert client.post(f"{API}/checklist-templates/{v2}/publish", headers=co).json()["template"]["status"] \
        == "published"
    # new drafts take the newest published version
    c = draft(client, session, co)
    assert client.get(f"{API}/campaigns/{c['id']}", headers=co).json()["checklist_template_id"] == v2
    assert count(session, ChecklistTemplate) == 2
    assert client.get(f"{API}/checklist-templates", headers=as_user("local_chilang")).status_code == 404


def test_what_each_role_sees_of_the_2024_campaign(client, session, as_user):
    cid = seeded(session, 2024)
    chilang = unit_id(session, "187")
    # a local officer: their unit only
    local = as_user("local_chilang")
    c = client.get(f"{API}/campaigns/{cid}", headers=local).json()
    assert [u["id"] for u in c["units"]] == [chilang] and c["allowed_transitions"] == []
    visits = client.get(f"{API}/campaigns/{cid}/visits", headers=local).json()["items"]
    assert visits and {v["admin_unit_id"] for v in visits} == {chilang}
    lb_visit = client.get(f"{API}/campaigns/{cid}/visits", headers=as_user("coordinator"),
                          params={"unit_id": unit_id(session, "188")}).json()["items"][0]
    assert client.get(f"{API}/visits/{lb_visit['id']}", headers=local).status_code == 404
    assert [n["admin_unit_name"] for n in client.get(f"{API}/campaigns/{cid}/notices", headers=local)
            .json()["items"]] == ["Huyện Chi Lăng"]
    assert client.get(f"{API}/campaigns/{cid}/warnings", headers=local).status_code == 404
    # a producer: only the visits to them
    prod = as_user("producer_dongbanh")
    assert [x["id"] for x in client.get(f"{API}/campaigns", headers=prod).json()["items"]] == [cid]
    mine = client.get(f"{API}/campaigns/{cid}/visits", headers=prod).json()["items"]
    assert len(mine) == 1 and mine[0]["targets"][0]["product_name"] == "Na Chi Lăng"
    assert client.get(f"{API}/campaigns/{cid}/team", headers=prod).json()["items"] == []
    assert client.get(f"{API}/campaigns/{cid}/tasks", headers=prod).json()["items"] == []
    assert client.get(f"{API}/campaigns/{cid}/local-reports", headers=prod).json()["items"] == []
    # the team's inspectors see it; the viewer sees issued plans but not drafts
    assert client.get(f"{API}/campaigns/{cid}", headers=as_user("inspector3")).status_code == 200
    viewer_years = {x["year"] for x in client.get(f"{API}/campaigns", headers=as_user("viewer")).json()["items"]}
    assert viewer_years == {2024}
    assert client.get(f"{API}/campaigns/{seeded(session, 2026)}", headers=as_user("leader")).status_code == 200
    assert client.get(f"{API}/campaigns/{seeded(session, 2026)}", headers=as_user("inspector1")).status_code == 404
    assert count(session, LocalReport) == 2


def test_local_report_list_items_carry_the_callers_real_moves(client, session, as_user, running):
    cid = running["id"]
    report = chilang_report(client, session, as_user, cid)
    local = as_user("local_chilang")
    client.patch(report_url(cid, report["id"]), json={"results": "Đã triển khai."},
                 headers={**local, "If-Match": '"1"'})

    def both(name):
        h = as_user(name)
        items = client.get(f"{API}/campaigns/{cid}/local-reports", headers=h).json()["items"]
        listed = next(r["allowed_transitions"] for r in items if r["id"] == report["id"])
        single = client.get(report_url(cid, report["id"]), headers=h).json()["allowed_transitions"]
        assert listed == single, name
        return listed

    assert both("local_chilang") == ["submitted"] and both("coordinator") == ["submitted"]
    assert client.post(report_url(cid, report["id"], "/transitions"), json={"to": "submitted"},
                       headers=local).status_code == 200
    assert both("local_chilang") == []
    assert sorted(both("coordinator")) == ["accepted", "returned"]
