"""Recording a visit, automatic findings, repeats, the finding and action state machines, evidence."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlalchemy.engine import Engine

from ocop.core.dates import today
from ocop.inspections.models import Evidence, Finding
from ocop.reports.models import IssuedDocument
from tests.campaigns.helpers import API, issued, unit_id, user, visit
from tests.conftest import count


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 120, 60)).save(buf, "JPEG")
    return buf.getvalue()


def move(client, headers, visit_id, to, **extra):
    return client.post(f"{API}/visits/{visit_id}/transitions", json={"to": to, **extra}, headers=headers)


@pytest.fixture
def site(client, session, as_user):
    """An issued campaign with inspector1 in the team (the leader heads it) and a site visit to Đồng Bành."""
    co = as_user("coordinator")
    c = issued(client, session, as_user, unit_ids=[unit_id(session, "187")])
    client.post(f"{API}/campaigns/{c['id']}/team", json={"user_id": user(session, "inspector1")}, headers=co)
    na = client.get(f"{API}/products", params={"q": "na chi lang"}, headers=co).json()["items"][0]
    day = today() + timedelta(days=1)
    r = visit(client, co, c["id"], unit_id(session, "187"), f"{day}T08:00:00+07:00", f"{day}T10:00:00+07:00",
              kind="site_visit", targets=[{"producer_id": na["producer_id"], "product_id": na["id"]}])
    assert r.status_code == 201, r.text
    return {"campaign": c, "visit": r.json(), "product": na}


def answers(client, headers, visit_id, product_id, failed=(), **extra):
    body = [{"item_code": code, "product_id": product_id, "value": "no" if code in failed else "yes",
             "note": "Không có sổ" if code in failed else None} for code in ("ND3.04", "ND3.05", "ND4.02")]
    return client.put(f"{API}/visits/{visit_id}/answers", json={"answers": body + extra.get("more", [])},
                      headers=headers)


def test_visit_lifecycle_by_role_with_automatic_findings(client, session, as_user, site):
    ins, head, co = as_user("inspector1"), as_user("leader"), as_user("coordinator")
    vid, pid = site["visit"]["id"], site["product"]["id"]
    # not in the team: nothing; in the team but not started: no answers
    assert move(client, as_user("inspector2"), vid, "in_progress").status_code == 404
    assert answers(client, ins, vid, pid).status_code == 409
    r = move(client, ins, vid, "in_progress")
    assert r.status_code == 200 and r.json()["status"] == "in_progress" and r.json()["actual_start"]
    assert client.get(f"{API}/campaigns/{site['campaign']['id']}", headers=co).json()["status"] == "in_progress"
    # the record: needs If-Match
    url = f"{API}/visits/{vid}/record"
    assert client.patch(url, json={"record_note": "x"}, headers=ins).status_code == 428
    r = client.patch(url, json={"attendees": [{"name": "Nguyễn Văn A", "title": "Giám đốc HTX"}], "gps_lat": 21.65,
                                "gps_lon": 106.55}, headers={**ins, "If-Match": f'"{r.json()["version"]}"'})
    assert r.status_code == 200 and r.json()["attendees"][0]["name"] == "Nguyễn Văn A"
    assert client.patch(url, json={"gps_lat": 21.0}, headers={**ins, "If-Match": '"1"'}).status_code in (412, 422)
    r = answers(client, ins, vid, pid, failed=("ND3.05", "ND4.02"))
    assert r.status_code == 200 and sum(a["failed"] for a in r.json()["items"]) == 2
    assert answers(client, ins, vid, pid, failed=("ND3.05", "ND4.02")).status_code == 200  # resent: no duplicates
    assert len(client.get(f"{API}/visits/{vid}/answers", headers=ins).json()["items"]) == 3
    # only the head approves
    assert move(client, ins, vid, "approved").status_code == 409
    assert move(client, ins, vid, "submitted").json()["status"] == "submitted"
    r = move(client, ins, vid, "approved")
    assert r.status_code == 403 and r.json()["allowed"] == []
    found = client.get(f"{API}/findings", params={"visit_id": vid}, headers=co).json()["items"]
    assert sorted((f["item_code"], f["severity"], f["automatic"]) for f in found) == [
        ("ND3.05", "minor", True), ("ND4.02", "major", True)]
    assert all(f["status"] == "open" and f["content_area"] in (3, 4) for f in found)
    # return to the team, reopen needs a reason; submitting again adds no duplicate
    assert move(client, head, vid, "in_progress").status_code == 422
    assert move(client, head, vid, "in_progress", note="Bổ sung ảnh").status_code == 200
    assert move(client, ins, vid, "submitted").status_code == 200
    assert count(session, Finding, Finding.visit_id == vid) == 2
    assert move(client, head, vid, "approved").json()["approved_at"]
    assert move(client, co, vid, "locked").json()["status"] == "locked"
    assert answers(client, ins, vid, pid).status_code == 409
    r = move(client, ins, vid, "in_progress", note="x")
    assert r.status_code == 403
    r = move(client, head, vid, "in_progress", note="Sai số liệu doanh thu")
    assert r.status_code == 200 and r.json()["locked_at"] is None


def test_bad_answers_change_nothing(client, session, as_user, site):
    ins, vid = as_user("inspector1"), site["visit"]["id"]
    move(client, ins, vid, "in_progress")
    for bad in ([{"item_code": "XX.99", "value": "yes"}], [{"item_code": "ND3.05"}],
                [{"item_code": "ND2.04", "value": "yes"}], [{"item_code": "ND3.05", "value": "maybe"}],
                [{"item_code": "ND3.05", "value": "no", "product_id": 10**9}]):
        r = client.put(f"{API}/visits/{vid}/answers", json={"answers": bad}, headers=ins)
        assert r.status_code == 422, (bad, r.text)
    assert client.get(f"{API}/visits/{vid}/answers", headers=ins).json()["items"] == []


def test_repeat_of_an_earlier_campaigns_finding(client, session, as_user, site):
    seeded_finding = session.scalars(sa.select(Finding).where(Finding.item_code == "ND3.05")).first()
    assert seeded_finding is not None and seeded_finding.product_id == site["product"]["id"]
    ins, vid, pid = as_user("inspector1"), site["visit"]["id"], site["product"]["id"]
    move(client, ins, vid, "in_progress")
    answers(client, ins, vid, pid, failed=("ND3.05",))
    move(client, ins, vid, "submitted")
    f = client.get(f"{API}/findings", params={"visit_id": vid}, headers=ins).json()["items"][0]
    assert f["repeat_of_id"] == seeded_finding.id and f["repeat_count"] == 1
    assert [x["id"] for x in client.get(f"{API}/findings", params={"repeat": True, "campaign_id":
                                                                     site["campaign"]["id"]}, headers=ins)
            .json()["items"]] == [f["id"]]


def test_action_loop_and_the_finding_follows(client, session, as_user, site):
    ins, prod = as_user("inspector1"), as_user("producer_dongbanh")
    vid, pid = site["visit"]["id"], site["product"]["id"]
    move(client, ins, vid, "in_progress")
    answers(client, ins, vid, pid, failed=("ND3.05",))
    move(client, ins, vid, "submitted")
    fid = client.get(f"{API}/findings", params={"visit_id": vid}, headers=ins).json()["items"][0]["id"]
    due = (today() + timedelta(days=14)).isoformat()
    r = client.post(f"{API}/findings/{fid}/actions", json={"description": "Lập sổ theo dõi tem", "due_date": due},
                    headers=ins)
    assert r.status_code == 201 and r.json()["owner_producer_id"] == site["product"]["producer_id"]
    aid = r.json()["id"]
    assert client.get(f"{API}/findings/{fid}", headers=ins).json()["status"] == "action_required"
    base = f"{API}/findings/{fid}/actions/{aid}"
    # only the owner answers; the answer carries evidence attached to the finding
    assert client.post(f"{base}/response", json={"response": "Đã lập"}, headers=ins).status_code == 403
    assert client.post(f"{base}/response", json={"response": "Đã lập"}, headers=as_user("local_locbinh")) \
        .status_code == 404
    ev = client.post(f"{API}/findings/{fid}/evidence", files={"file": ("so-tem.jpg", jpeg(), "image/jpeg")},
                     headers=prod)
    assert ev.status_code == 201, ev.text
    r = client.post(f"{base}/response", json={"response": "Đã lập sổ", "evidence_ids": [ev.json()["id"]]},
                    headers=prod)
    assert r.status_code == 200 and r.json()["status"] == "responded" and r.json()["evidence_ids"] == [ev.json()["id"]]
    assert client.get(f"{API}/findings/{fid}", headers=prod).json()["status"] == "response_submitted"
    assert client.post(f"{base}/response", json={"response": "lần hai"}, headers=prod).status_code == 409
    # rejected: open again, finding back to action required
    assert client.post(f"{base}/verification", json={"accepted": False}, headers=ins).status_code == 422
    r = client.post(f"{base}/verification", json={"accepted": False, "comment": "Sổ chưa ghi số sê-ri"}, headers=ins)
    assert r.status_code == 200 and r.json()["status"] == "open" and r.json()["rejections"] == 1
    assert client.get(f"{API}/findings/{fid}", headers=ins).json()["status"] == "action_required"
    client.post(f"{base}/response", json={"response": "Đã bổ sung số sê-ri"}, headers=prod)
    assert client.post(f"{base}/verification", json={"accepted": True}, headers=prod).status_code == 403
    client.post(f"{base}/verification", json={"accepted": True, "comment": "Đạt"}, headers=ins)
    f = client.get(f"{API}/findings/{fid}", headers=ins).json()
    assert f["status"] == "verified" and "closed" in f["allowed_transitions"]
    r = client.post(f"{API}/findings/{fid}/transitions", json={"to": "closed"}, headers=ins)
    assert r.json()["status"] == "closed"
    steps = [e["action"] for e in client.get(f"{API}/findings/{fid}/timeline", headers=prod).json()["items"]]
    assert steps[0] == "finding.create" and steps.count("action.respond") == 2 and steps[-1] == "finding.status"


def test_finding_transitions_by_state_and_role(client, session, as_user, site):
    ins, head, co = as_user("inspector1"), as_user("leader"), as_user("coordinator")
    body = {"campaign_id": site["campaign"]["id"], "producer_id": site["product"]["producer_id"],
            "product_id": site["product"]["id"], "severity": "minor", "category": "labelling",
            "description": "Nhãn thiếu định lượng", "internal_note": "Chủ thể hợp tác tốt"}
    assert client.post(f"{API}/findings", json=body, headers=as_user("inspector2")).status_code == 422  # not visible
    assert move(client, ins, site["visit"]["id"], "in_progress").status_code == 200  # findings come from visits
    r = client.post(f"{API}/findings", json=body, headers=ins)
    assert r.status_code == 201 and r.json()["status"] == "open"
    fid = r.json()["id"]
    url = f"{API}/findings/{fid}/transitions"
    assert client.post(url, json={"to": "closed"}, headers=ins).status_code == 403  # minor: not closed directly
    assert client.post(url, json={"to": "verified"}, headers=ins).status_code == 409
    assert client.post(url, json={"to": "dismissed"}, headers=ins).status_code == 422
    assert client.post(url, json={"to": "escalated", "note": "x"}, headers=ins).status_code == 403
    assert client.post(url, json={"to": "escalated", "note": "Tái phạm"}, headers=head).status_code == 422
    r = client.post(url, json={"to": "escalated", "note": "Tái phạm", "escalation": "sanction_referred"},
                    headers=head)
    assert r.status_code == 200 and r.json()["escalation"] == "sanction_referred"
    assert client.post(url, json={"to": "closed"}, headers=ins).status_code == 403
    assert client.post(url, json={"to": "closed"}, headers=co).json()["status"] == "closed"
    assert client.patch(f"{API}/findings/{fid}", json={"severity": "major"},
                        headers={**ins, "If-Match": f'"{r.json()["version"]}"'}).status_code in (409, 412)
    # edits need If-Match; outsiders never see internal notes
    g = client.post(f"{API}/findings", json={**body, "description": "Bao bì khác hồ sơ"}, headers=ins).json()
    assert client.patch(f"{API}/findings/{g['id']}", json={"severity": "major"}, headers=ins).status_code == 428
    assert client.patch(f"{API}/findings/{g['id']}", json={"severity": "major"},
                        headers={**ins, "If-Match": '"9"'}).status_code == 412
    r = client.patch(f"{API}/findings/{g['id']}", json={"severity": "major"}, headers={**ins, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["internal_note"] == "Chủ thể hợp tác tốt"
    assert client.get(f"{API}/findings/{g['id']}", headers=as_user("producer_dongbanh")).json()["internal_note"] is None
    assert client.get(f"{API}/findings/{g['id']}", headers=as_user("local_chilang")).json()["internal_note"] is None
    assert client.get(f"{API}/findings/{g['id']}", headers=as_user("local_locbinh")).status_code == 404


def test_evidence_uploads_are_checked_named_safely_and_thumbnailed(client, session, as_user, site, settings,
                                                                  monkeypatch, storage_dir):
    ins, vid = as_user("inspector1"), site["visit"]["id"]
    move(client, ins, vid, "in_progress")
    url = f"{API}/visits/{vid}/evidence"
    r = client.post(url, files={"file": ("../../etc/anh nhan.jpg", jpeg(), "image/jpeg")},
                    data={"item_code": "ND4.05", "captured_at": "2026-05-14T09:12:00+07:00"}, headers=ins)
    assert r.status_code == 201, r.text
    e = r.json()
    assert e["filename"] == "anh nhan.jpg" and e["has_thumbnail"] and e["content_type"] == "image/jpeg"
    assert datetime.fromisoformat(e["captured_at"]) == datetime(2026, 5, 14, 2, 12, tzinfo=UTC)
    assert datetime.fromisoformat(e["uploaded_at"]).date() == datetime.now(UTC).date()  # separate from capture
    got = client.get(f"{API}/evidence/{e['id']}", headers=ins)
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg" and "anh" in \
        got.headers["content-disposition"]
    thumb = client.get(f"{API}/evidence/{e['id']}/thumbnail", headers=ins)
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.content)).size) <= 320
    assert client.get(f"{API}/evidence/{e['id']}", headers=as_user("producer_dongbanh")).status_code == 404
    r = client.post(url, files={"file": ("anh.jpg", b"%PDF-1.4 not a photo\n%%EOF", "image/jpeg")}, headers=ins)
    assert r.status_code == 415 and r.json()["code"] == "content_mismatch"
    r = client.post(url, files={"file": ("script.sh", b"#!/bin/sh\necho hi\n", "text/plain")}, headers=ins)
    assert r.status_code == 415
    monkeypatch.setattr(settings, "upload_max_bytes", 50_000)
    r = client.post(url, files={"file": ("lon.jpg", jpeg() + b"\0" * 60_000, "image/jpeg")}, headers=ins)
    assert r.status_code == 413
    assert count(session, Evidence) == 1
    issued_files = set(session.scalars(sa.select(IssuedDocument.storage_key)))  # the plan as issued is kept too
    assert len([p for p in storage_dir.rglob("*") if p.is_file()
                and p.relative_to(storage_dir).as_posix() not in issued_files]) == 2  # the photo and its thumbnail


def test_overdue_actions_become_one_event_each(client, session, as_user):
    from ocop.compliance.service import run_daily
    from ocop.core.outbox import OutboxEvent

    first = run_daily(session)
    session.commit()
    assert first["actions_overdue"] == 1  # the seeded Lúa Vy action
    assert run_daily(session)["actions_overdue"] == 0
    session.commit()
    assert count(session, OutboxEvent, OutboxEvent.event_type == "action.overdue") == 1


# (from state, to state, username, expected status): every move of the visit record, by who asks
VISIT_MOVES = [
    ("planned", "in_progress", "inspector2", 404),   # not in this campaign's team: the visit is not visible
    ("planned", "in_progress", "viewer", 403),       # sees it, is not in the team
    ("planned", "submitted", "inspector1", 409),     # not from this state
    ("planned", "in_progress", "inspector1", 200),
    ("in_progress", "approved", "leader", 409),
    ("in_progress", "submitted", "coordinator", 403),  # the coordinator is not in this team
    ("in_progress", "submitted", "inspector1", 200),
    ("submitted", "approved", "inspector1", 403),    # only the head approves
    ("submitted", "locked", "leader", 409),
    ("submitted", "approved", "leader", 200),
    ("approved", "locked", "inspector1", 403),
    ("approved", "locked", "coordinator", 200),      # the head or a coordinator locks
    ("locked", "in_progress", "inspector1", 403),    # only the head reopens
]


def test_visit_moves_by_state_and_role(client, session, as_user, site):
    vid = site["visit"]["id"]
    state = "planned"
    for from_state, to, username, expected in VISIT_MOVES:
        assert from_state == state, (from_state, state)
        r = move(client, as_user(username), vid, to, note="Lý do")
        assert r.status_code == expected, (from_state, to, username, r.text)
        if expected == 200:
            state = to
        elif expected in (403, 409):
            assert "allowed" in r.json()
    r = move(client, as_user("leader"), vid, "in_progress", note="Bổ sung biên bản")
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    from ocop.audit.models import AuditEvent

    reopen = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "visit.reopen",
                                                         AuditEvent.entity_id == str(vid))).all()
    assert len(reopen) == 1 and reopen[0].after["note"] == "Bổ sung biên bản"


def test_unit_owned_action_is_answered_by_the_local_officer(client, session, as_user, site):
    ins = as_user("inspector1")
    move(client, ins, site["visit"]["id"], "in_progress")
    r = client.post(f"{API}/findings", json={
        "campaign_id": site["campaign"]["id"], "producer_id": site["product"]["producer_id"], "severity": "minor",
        "category": "local_management", "description": "Huyện chưa theo dõi sản phẩm sắp hết hạn"}, headers=ins)
    fid = r.json()["id"]
    a = client.post(f"{API}/findings/{fid}/actions", json={
        "description": "Lập danh sách theo dõi", "owner_type": "unit", "due_date": (today() + timedelta(days=7))
        .isoformat()}, headers=ins).json()
    assert a["owner_unit_id"] is not None
    url = f"{API}/findings/{fid}/actions/{a['id']}/response"
    assert client.post(url, json={"response": "x"}, headers=as_user("producer_dongbanh")).status_code == 403
    assert client.post(url, json={"response": "Đã lập danh sách"}, headers=as_user("local_chilang")).status_code == 200


# ---- a list item tells the caller the same moves as the single read ----

ROLES = ("inspector1", "leader", "coordinator", "producer_dongbanh", "local_chilang")


def _finding(client, ins, site, description, severity="minor"):
    r = client.post(f"{API}/findings", json={
        "campaign_id": site["campaign"]["id"], "producer_id": site["product"]["producer_id"],
        "product_id": site["product"]["id"], "severity": severity, "category": "labelling",
        "description": description}, headers=ins)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_finding_list_items_carry_the_callers_real_moves(client, as_user, site):
    ins = as_user("inspector1")
    assert move(client, ins, site["visit"]["id"], "in_progress").status_code == 200
    ids = [_finding(client, ins, site, "Nhãn thiếu định lượng"),
           _finding(client, ins, site, "Thiếu sổ theo dõi tem", severity="observation")]
    seen = {}
    for name in ROLES:
        h = as_user(name)
        items = client.get(f"{API}/findings", params={"campaign_id": site["campaign"]["id"]}, headers=h).json()["items"]
        listed = {f["id"]: f["allowed_transitions"] for f in items if f["id"] in ids}
        assert sorted(listed) == sorted(ids), name
        for fid in ids:
            single = client.get(f"{API}/findings/{fid}", headers=h).json()["allowed_transitions"]
            assert listed[fid] == single, (name, fid)
        seen[name] = listed
    # the team member and the head may move an open finding; the producer and the local officer may not
    assert all(seen["inspector1"].values()) and all(seen["leader"].values())
    assert "escalated" in seen["leader"][ids[0]] and "escalated" not in seen["inspector1"][ids[0]]
    assert not any(seen["producer_dongbanh"].values()) and not any(seen["local_chilang"].values())


def test_finding_list_moves_cost_no_query_per_row(client, as_user, site):
    ins = as_user("inspector1")
    assert move(client, ins, site["visit"]["id"], "in_progress").status_code == 200
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    def listing() -> int:
        statements.clear()
        sa.event.listen(Engine, "before_cursor_execute", record)
        try:
            r = client.get(f"{API}/findings", params={"campaign_id": site["campaign"]["id"]}, headers=ins)
        finally:
            sa.event.remove(Engine, "before_cursor_execute", record)
        assert r.status_code == 200 and all(f["allowed_transitions"] for f in r.json()["items"])
        return len(statements)

    _finding(client, ins, site, "Phát hiện 1")
    one = listing()
    for i in range(2, 7):
        _finding(client, ins, site, f"Phát hiện {i}")
    assert listing() == one
