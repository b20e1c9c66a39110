from __future__ import annotations

from ocop.audit.models import AuditEvent
from ocop.org.models import Agency
from tests.conftest import count


def walk(client, headers, url, limit, **params):
    seen, cursor = [], None
    while True:
        q = {"limit": limit, **params}
        if cursor:
            q["cursor"] = cursor
        page = client.get(url, params=q, headers=headers).json()
        assert len(page["items"]) <= limit
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def test_all_77_units_are_seeded_and_paged_once(client, as_user):
    units = walk(client, as_user("viewer"), "/api/v1/admin-units", 20)
    assert len(units) == 77 == len({u["id"] for u in units})
    levels = [u["level"] for u in units]
    assert levels.count("district") + levels.count("city") == 11
    assert levels.count("commune") == 61 and levels.count("ward") == 4
    assert {u["code"] for u in units} >= {"20", "187", "06463", "05983"}  # codes keep leading zeros


def test_units_in_force_on_a_day(client, as_user):
    v = as_user("viewer")
    in_2024 = walk(client, v, "/api/v1/admin-units", 200, active_on="2024-06-01")
    assert {u["level"] for u in in_2024} == {"province", "city", "district"}
    in_2026 = walk(client, v, "/api/v1/admin-units", 200, active_on="2026-01-01")
    assert len(in_2026) == 66 and {u["level"] for u in in_2026} == {"province", "commune", "ward"}


def test_search_without_accents(client, as_user):
    v = as_user("viewer")
    names = [u["name"] for u in client.get("/api/v1/admin-units", params={"q": "chi lang"}, headers=v).json()["items"]]
    assert "Huyện Chi Lăng" in names and "Xã Chi Lăng" in names
    names = [a["name"] for a in client.get("/api/v1/agencies", params={"q": "nong nghiep va moi truong"},
                                           headers=v).json()["items"]]
    assert "Sở Nông nghiệp và Môi trường" in names
    assert client.get("/api/v1/admin-units", params={"q": "%_%"}, headers=v).json()["items"] == []


def test_agencies_2024_and_their_successors(client, as_user):
    v = as_user("viewer")
    agencies = walk(client, v, "/api/v1/agencies", 200)
    by_code = {a["code"]: a for a in agencies}
    snn, snnmt, stnmt = by_code["SNN"], by_code["SNNMT"], by_code["STNMT"]
    assert snn["name"] == "Sở Nông nghiệp và Phát triển nông thôn" and snn["valid_to"] == "2025-02-28"
    assert snn["successor_id"] == snnmt["id"] == stnmt["successor_id"]
    assert by_code["SNN-CCPTNT"]["parent_id"] == snn["id"]
    assert by_code["SNN-CCQLCL"]["kind"] == "sub_department" and by_code["SNN-VP"]["kind"] == "office"
    for code in ("SKHCN", "SCT", "SYT", "UBND-T"):
        assert code in by_code
    district_pcs = [a for a in agencies if a["code"].startswith("UBND-H-")]
    assert len(district_pcs) == 11 and all(a["valid_to"] == "2025-06-30" for a in district_pcs)
    on_2024 = {a["code"] for a in walk(client, v, "/api/v1/agencies", 200, active_on="2024-03-15")}
    assert "SNN" in on_2024 and "SNNMT" not in on_2024
    on_2026 = {a["code"] for a in walk(client, v, "/api/v1/agencies", 200, active_on="2026-03-15")}
    assert "SNNMT" in on_2026 and "SNN" not in on_2026 and "UBND-H-187" not in on_2026


def test_admin_creates_and_edits_agencies_with_audit(client, as_user, session):
    admin = as_user("admin")
    body = {"code": "SNNMT-PKT", "name": "Phòng Kế hoạch - Tài chính", "kind": "division",
            "parent_id": client.get("/api/v1/agencies", params={"q": "SNNMT"}, headers=admin).json()["items"][0]["id"]}
    assert client.post("/api/v1/agencies", json=body, headers=as_user("coordinator")).status_code == 403
    r = client.post("/api/v1/agencies", json=body, headers=admin)
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    assert client.post("/api/v1/agencies", json=body, headers=admin).status_code == 409
    assert client.post("/api/v1/agencies", json={**body, "code": "X1", "kind": "ministry"},
                       headers=admin).status_code == 422
    assert client.post("/api/v1/agencies", json={**body, "code": "X2", "parent_id": 999999},
                       headers=admin).status_code == 422
    assert client.post("/api/v1/agencies", json={**body, "code": "X3", "valid_from": "2026-01-02",
                                                 "valid_to": "2026-01-01"}, headers=admin).status_code == 422
    r = client.patch(f"/api/v1/agencies/{aid}", json={"short_name": "Phòng KHTC"}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["version"] == 2
    assert client.patch(f"/api/v1/agencies/{aid}", json={"short_name": "x"},
                        headers={**admin, "If-Match": '"1"'}).status_code == 412
    assert count(session, AuditEvent, AuditEvent.entity_type == "agency", AuditEvent.entity_id == str(aid)) == 2
    assert count(session, Agency, Agency.code.in_(["X1", "X2", "X3"])) == 0


def test_admin_adds_a_unit_with_a_predecessor_and_scope_follows(client, as_user):
    admin = as_user("admin")
    district = client.get("/api/v1/admin-units", params={"code": "188"}, headers=admin).json()["items"][0]
    r = client.post("/api/v1/admin-units", headers=admin, json={
        "code": "99999", "name": "Xã Thử Nghiệm", "level": "commune", "valid_from": "2027-01-01",
        "predecessor_ids": [district["id"]]})
    assert r.status_code == 201, r.text
    within = client.get("/api/v1/admin-units", params={"within": district["id"], "limit": 200}, headers=admin).json()
    assert "Xã Thử Nghiệm" in {u["name"] for u in within["items"]}
    assert client.post("/api/v1/admin-units", headers=as_user("leader"), json={
        "code": "99998", "name": "X", "level": "commune"}).status_code == 403
    uid = r.json()["id"]
    r = client.patch(f"/api/v1/admin-units/{uid}", json={"parent_id": uid}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 422
