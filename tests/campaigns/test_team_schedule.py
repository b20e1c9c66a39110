"""Team rules and warnings, the schedule and its clashes, report tasks, notices and risk suggestions."""
from __future__ import annotations

import re
from datetime import timedelta

from ocop.campaigns.models import TeamMember
from ocop.core.dates import add_months, today
from tests.campaigns.helpers import API, add_head, agency, draft, issued, seeded, unit_id, user, visit
from tests.conftest import count
from tests.factories import make_user

ENGLISH = {"the", "and", "listed", "booked", "visited", "outside", "period", "team", "head", "times", "campaign",
           "member", "agency", "inspected", "represented", "once"}


def codes(client, headers, campaign_id):
    r = client.get(f"{API}/campaigns/{campaign_id}/warnings", headers=headers)
    assert r.status_code == 200, r.text
    for w in r.json()["items"]:  # a Vietnamese user reads these: no English glosses
        assert not ENGLISH & set(re.findall(r"\w+", w["message"].lower())), w["message"]
    return r.json()["items"]


def test_exactly_one_head_from_the_lead_agencys_leadership(client, session, as_user):
    co = as_user("coordinator")
    c = draft(client, session, co)
    url = f"{API}/campaigns/{c['id']}/team"
    # an inspector of the health department is not a leader of the lead agency
    r = client.post(url, json={"user_id": user(session, "inspector2"), "role": "head"}, headers=co)
    assert r.status_code == 422 and "Trưởng đoàn" in r.json()["detail"]
    # an outside deputy director of the lead agency may lead
    r = client.post(url, json={"full_name": "Nguyễn Văn Bình", "title": "Phó Giám đốc Sở",
                               "agency_id": agency(session, "SNNMT"), "phone": "0912 345 678", "role": "head"},
                    headers=co)
    assert r.status_code == 201, r.text
    outside = r.json()
    r = client.post(url, json={"user_id": user(session, "leader"), "role": "head"}, headers=co)
    assert r.status_code == 409 and r.json()["code"] == "team_head_exists"
    assert count(session, TeamMember, TeamMember.campaign_id == c["id"], TeamMember.role == "head") == 1
    # hand over: the outside head becomes deputy, then the director leads
    r = client.patch(f"{url}/{outside['id']}", json={"role": "deputy"}, headers={**co, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["role"] == "deputy"
    leader = client.post(url, json={"user_id": user(session, "leader"), "role": "head"}, headers=co)
    assert leader.status_code == 201
    # making the deputy head again, while the director leads, is refused like a second POST
    r = client.patch(f"{url}/{outside['id']}", json={"role": "head"}, headers={**co, "If-Match": '"2"'})
    assert r.status_code == 409 and r.json()["code"] == "team_head_exists"
    r = client.post(url, json={"user_id": user(session, "leader"), "role": "member"}, headers=co)
    assert r.status_code == 409 and r.json()["code"] == "team_member_exists"
    r = client.post(url, json={"role": "member"}, headers=co)
    assert r.status_code == 422
    team = client.get(url, headers=co).json()["items"]
    assert [m["role"] for m in team] == ["head", "deputy"] and team[0]["full_name"] == "Lý Việt Hưng"
    assert team[1]["agency_name"] == "Sở Nông nghiệp và Môi trường"


def test_seeded_team_warns_about_agencies_the_plan_lists_but_the_team_lacks(client, session, as_user):
    items = codes(client, as_user("coordinator"), seeded(session, 2024))
    missing = {w["agency_id"] for w in items if w["code"] == "agency_not_represented"}
    assert missing == {agency(session, "SCT"), agency(session, "STNMT")}
    assert all("mời khi cần thiết" in w["message"] for w in items if w["code"] == "agency_not_represented")
    assert not [w for w in items if w["code"] in ("double_booking", "conflict_of_interest", "no_head")]


def test_conflict_of_interest_when_a_member_belongs_to_the_inspected_local_government(client, session, as_user):
    co = as_user("coordinator")
    c = draft(client, session, co, unit_ids=[unit_id(session, "187")])
    add_head(client, session, co, c["id"])
    r = client.post(f"{API}/campaigns/{c['id']}/team", json={
        "full_name": "Hoàng Văn Tuấn", "agency_id": agency(session, "PNN-H-187"), "role": "member"}, headers=co)
    assert r.status_code == 201  # a warning, not a refusal
    conflicts = [w for w in codes(client, co, c["id"]) if w["code"] == "conflict_of_interest"]
    assert [w["team_member_id"] for w in conflicts] == [r.json()["id"]]
    # a member from another district is no conflict
    other = draft(client, session, co, unit_ids=[unit_id(session, "188")])
    client.post(f"{API}/campaigns/{other['id']}/team", json={
        "full_name": "Hoàng Văn Tuấn", "agency_id": agency(session, "PNN-H-187"), "role": "member"}, headers=co)
    assert not [w for w in codes(client, co, other["id"]) if w["code"] == "conflict_of_interest"]


def test_double_booking_across_campaigns_and_producers_visited_twice(client, session, as_user):
    co = as_user("coordinator")
    a = draft(client, session, co)
    b = draft(client, session, co)
    add_head(client, session, co, a["id"])
    add_head(client, session, co, b["id"])
    chilang, locbinh = unit_id(session, "187"), unit_id(session, "188")
    assert visit(client, co, a["id"], chilang, "2026-07-07T08:00:00+07:00", "2026-07-07T11:00:00+07:00") \
        .status_code == 201
    assert visit(client, co, b["id"], locbinh, "2026-07-07T10:00:00+07:00", "2026-07-07T12:00:00+07:00") \
        .status_code == 201
    booked = [w for w in codes(client, co, a["id"]) if w["code"] == "double_booking"]
    assert len(booked) == 1 and "Lý Việt Hưng" in booked[0]["message"]
    # a later slot on the same day is no clash
    c = draft(client, session, co)
    add_head(client, session, co, c["id"])
    visit(client, co, c["id"], locbinh, "2026-07-07T14:00:00+07:00", "2026-07-07T16:00:00+07:00")
    assert not [w for w in codes(client, co, c["id"]) if w["code"] == "double_booking"]
    # the same producer twice in one campaign
    producer = client.get(f"{API}/producers", params={"q": "dong banh"}, headers=co).json()["items"][0]["id"]
    for day in ("08", "09"):
        r = visit(client, co, c["id"], chilang, f"2026-07-{day}T08:00:00+07:00", f"2026-07-{day}T10:00:00+07:00",
                  kind="site_visit", targets=[{"producer_id": producer}])
        assert r.status_code == 201, r.text
    twice = [w for w in codes(client, co, c["id"]) if w["code"] == "producer_visited_twice"]
    assert len(twice) == 1 and twice[0]["producer_id"] == producer and len(twice[0]["visit_ids"]) == 2
    # visits outside the planned quarter (III/2026) are flagged
    visit(client, co, c["id"], chilang, "2026-11-02T08:00:00+07:00", "2026-11-02T10:00:00+07:00")
    assert [w for w in codes(client, co, c["id"]) if w["code"] == "visit_outside_period"]


def test_visit_adds_its_unit_and_the_report_task_follows_the_session(client, session, as_user, settings):
    co = as_user("coordinator")
    c = draft(client, session, co)
    chilang = unit_id(session, "187")
    r = visit(client, co, c["id"], chilang, "2026-07-15T08:00:00+07:00", "2026-07-15T11:00:00+07:00",
              host_agency_id=agency(session, "UBND-H-187"),
              counterparts=[{"role": "local_leaders", "description": "Lãnh đạo UBND huyện"}])
    assert r.status_code == 201 and r.headers["Location"] == f"/api/v1/visits/{r.json()['id']}"
    v = r.json()
    units = client.get(f"{API}/campaigns/{c['id']}/units", headers=co).json()["items"]
    lead = settings.local_report_lead_days
    assert [(u["admin_unit_id"], u["report_due"]) for u in units] == [(chilang, f"2026-07-{15 - lead:02d}")]
    tasks = client.get(f"{API}/campaigns/{c['id']}/tasks", params={"kind": "local_report"}, headers=co).json()["items"]
    assert len(tasks) == 1 and tasks[0]["assignee_agency_name"] == "Ủy ban nhân dân huyện Chi Lăng"
    # moving the session moves the due date
    r = client.patch(f"{API}/visits/{v['id']}", json={"starts_at": "2026-07-20T08:00:00+07:00",
                                                      "ends_at": "2026-07-20T11:00:00+07:00"},
                     headers={**co, "If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert client.get(f"{API}/campaigns/{c['id']}/units", headers=co).json()["items"][0]["report_due"] == \
        f"2026-07-{20 - lead:02d}"
    assert client.patch(f"{API}/visits/{v['id']}", json={"place": "X"}, headers={**co, "If-Match": '"1"'}) \
        .status_code == 412
    # a unit with visits stays; an empty one goes with its task
    assert client.delete(f"{API}/campaigns/{c['id']}/units/{chilang}", headers=co).status_code == 409
    locbinh = unit_id(session, "188")
    assert client.post(f"{API}/campaigns/{c['id']}/units", json={"admin_unit_id": locbinh}, headers=co) \
        .status_code == 201
    assert client.post(f"{API}/campaigns/{c['id']}/units", json={"admin_unit_id": locbinh}, headers=co) \
        .status_code == 409
    assert client.delete(f"{API}/campaigns/{c['id']}/units/{locbinh}", headers=co).status_code == 204
    assert len(client.get(f"{API}/campaigns/{c['id']}/tasks", params={"kind": "local_report"},
                          headers=co).json()["items"]) == 1


def test_bad_visits_are_refused_and_nothing_is_written(client, session, as_user):
    co = as_user("coordinator")
    c = draft(client, session, co)
    chilang = unit_id(session, "187")
    na = client.get(f"{API}/products", params={"q": "na chi lang"}, headers=co).json()["items"][0]
    other_producer = client.get(f"{API}/producers", params={"q": "lua vy"}, headers=co).json()["items"][0]["id"]
    bad = [
        {"starts_at": "2026-07-15T11:00:00+07:00", "ends_at": "2026-07-15T08:00:00+07:00"},
        {"starts_at": "2026-07-15T08:00:00", "ends_at": "2026-07-15T11:00:00"},
        {"kind": "site_visit"},
        {"kind": "site_visit", "targets": [{"producer_id": other_producer, "product_id": na["id"]}]},
        {"team_member_ids": [999999]},
        {"admin_unit_id": 999999},
    ]
    for extra in bad:
        body = {"kind": "working_session", "starts_at": "2026-07-15T08:00:00+07:00",
                "ends_at": "2026-07-15T11:00:00+07:00", "place": "UBND huyện", "admin_unit_id": chilang, **extra}
        r = client.post(f"{API}/campaigns/{c['id']}/visits", json=body, headers=co)
        assert r.status_code == 422, (extra, r.text)
    assert client.get(f"{API}/campaigns/{c['id']}/visits", headers=co).json()["items"] == []
    assert client.get(f"{API}/campaigns/{c['id']}/units", headers=co).json()["items"] == []
    assert visit(client, as_user("inspector1"), c["id"], chilang, "2026-07-15T08:00:00+07:00",
                 "2026-07-15T11:00:00+07:00").status_code == 404  # not in the team: not even visible


def test_notice_per_unit_is_produced_from_the_schedule(client, session, as_user):
    co = as_user("coordinator")
    notices = client.get(f"{API}/campaigns/{seeded(session, 2024)}/notices", headers=co).json()["items"]
    assert [n["admin_unit_name"] for n in notices] == ["Huyện Chi Lăng", "Huyện Lộc Bình"]
    chilang = notices[0]
    assert chilang["addressee"] == "Ủy ban nhân dân huyện Chi Lăng"
    assert chilang["team_head"].startswith("Lý Việt Hưng") and len(chilang["team"]) == 5
    assert [i["kind"] for i in chilang["items"]] == ["site_visit", "site_visit", "working_session"]
    assert chilang["items"][0]["producers"] == ["HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành — Na Chi Lăng"]
    assert chilang["report_due"] == "2024-05-08"
    one = client.get(f"{API}/campaigns/{seeded(session, 2024)}/notices",
                     params={"unit_id": unit_id(session, "188")}, headers=co).json()["items"]
    assert [n["admin_unit_name"] for n in one] == ["Huyện Lộc Bình"]


def test_suggestions_rank_by_risk_with_reasons(client, session, as_user):
    co = as_user("coordinator")
    unit = unit_id(session, "06184")  # Đồng Đăng: no producers in the sample
    day = today()

    def producer(name):
        r = client.post(f"{API}/producers", json={"kind": "cooperative", "name": name, "admin_unit_id": unit},
                        headers=co)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def product(producer_id, name, decided=None, stars=4):
        p = client.post(f"{API}/products", json={"producer_id": producer_id, "name": name}, headers=co).json()
        if decided:
            r = client.post(f"{API}/certificates", json={"product_id": p["id"], "decision_date": decided.isoformat(),
                                                         "stars": stars}, headers=co)
            assert r.status_code == 201, r.text
        return p["id"]

    expired = product(producer("HTX Hết Hạn"), "Mật ong hết hạn", add_months(day, -40))
    expiring = product(producer("HTX Sắp Hết"), "Chè sắp hết hạn", add_months(day, -36) + timedelta(days=30))
    inspected_owner = producer("HTX Đã Kiểm Tra")
    valid_inspected = product(inspected_owner, "Miến còn hạn", add_months(day, -6), stars=3)
    valid5 = product(producer("HTX Năm Sao"), "Rượu năm sao", add_months(day, -6), stars=5)
    applicant = product(producer("Hộ Mới Tham Gia"), "Bánh chưa công nhận")
    # an earlier, issued campaign visited one producer in the past
    earlier = issued(client, session, as_user, period={"kind": "dates", "start": "2025-01-01", "end": "2025-12-31"})
    r = visit(client, co, earlier["id"], unit, "2025-03-03T08:00:00+07:00", "2025-03-03T10:00:00+07:00",
              kind="site_visit", targets=[{"producer_id": inspected_owner}])
    assert r.status_code == 201, r.text
    c = draft(client, session, co, unit_ids=[unit],
              period={"kind": "dates", "start": day.isoformat(), "end": (day + timedelta(days=60)).isoformat()})
    items = client.get(f"{API}/campaigns/{c['id']}/suggestions", headers=co).json()["items"]
    order = [s["product_id"] for s in items]
    assert order == [expired, expiring, valid5, applicant, valid_inspected]
    reasons = {s["product_id"]: {r["code"] for r in s["reasons"]} for s in items}
    assert reasons[expired] == {"certificate_expired", "never_inspected", "stars"}
    assert reasons[expiring] == {"certificate_expiring", "never_inspected", "stars"}
    assert reasons[applicant] == {"no_certificate", "never_inspected"}
    assert reasons[valid_inspected] == {"stars"}
    assert all(s["score"] == sum(r["weight"] for r in s["reasons"]) for s in items)
    # pages keep the ranking
    first = client.get(f"{API}/campaigns/{c['id']}/suggestions", params={"limit": 2}, headers=co).json()
    second = client.get(f"{API}/campaigns/{c['id']}/suggestions", params={"limit": 2, "cursor": first["next_cursor"]},
                        headers=co).json()
    assert [s["product_id"] for s in first["items"] + second["items"]] == order[:4]
    assert client.get(f"{API}/campaigns/{c['id']}/suggestions", headers=as_user("viewer")).status_code == 404
    assert client.get(f"{API}/campaigns/{c['id']}/suggestions", headers=as_user("leader")).status_code == 200  # reads


def test_outside_people_and_members_leave_visits_with_them(client, session, as_user):
    co = as_user("coordinator")
    c = draft(client, session, co)
    head = add_head(client, session, co, c["id"])
    m = client.post(f"{API}/campaigns/{c['id']}/team", json={
        "full_name": "Vi Văn Hòa", "agency_id": agency(session, "SCT"), "title": "Chuyên viên", "role": "member",
        "invited_as_needed": True}, headers=co).json()
    v = visit(client, co, c["id"], unit_id(session, "187"), "2026-07-15T08:00:00+07:00", "2026-07-15T11:00:00+07:00",
              team_member_ids=[head["id"], m["id"]]).json()
    assert client.delete(f"{API}/campaigns/{c['id']}/team/{m['id']}", headers=co).status_code == 204
    assert client.get(f"{API}/visits/{v['id']}", headers=co).json()["team_member_ids"] == [head["id"]]
    assert client.delete(f"{API}/campaigns/{c['id']}/team/{m['id']}", headers=co).status_code == 404


def test_inspector_sees_only_campaigns_whose_team_includes_them(client, session, as_user):
    co = as_user("coordinator")
    c = draft(client, session, co)
    make_user(session, "inspector", username="inspector_new")
    from tests.factories import PASSWORD

    token = client.post(f"{API}/auth/token", data={"grant_type": "password", "username": "inspector_new",
                                                   "password": PASSWORD}).json()["access_token"]
    h = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{API}/campaigns/{c['id']}", headers=h).status_code == 404
    assert client.get(f"{API}/campaigns", headers=h).json()["items"] == []
    client.post(f"{API}/campaigns/{c['id']}/team", json={"user_id": user(session, "inspector_new")}, headers=co)
    assert client.get(f"{API}/campaigns/{c['id']}", headers=h).status_code == 200
    assert [x["id"] for x in client.get(f"{API}/campaigns", headers=h).json()["items"]] == [c["id"]]
    # seeing is not editing
    r = client.post(f"{API}/campaigns/{c['id']}/units", json={"admin_unit_id": unit_id(session, "187")}, headers=h)
    assert r.status_code == 403
