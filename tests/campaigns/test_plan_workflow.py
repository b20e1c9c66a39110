"""The plan: its content, the workflow by role and state, amendments and revisions, the outbox."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from ocop.audit.models import AuditEvent
from ocop.core.outbox import OutboxEvent
from tests.campaigns.helpers import API, PLAN_2024, add_head, agency, draft, issued, move, seeded, unit_id
from tests.conftest import count


def test_seed_plan_is_the_2024_campaign_with_its_whole_content(client, session, as_user):
    c = client.get(f"{API}/campaigns/{seeded(session, 2024)}", headers=as_user("viewer")).json()
    assert c["status"] == "in_progress" and c["title"] == PLAN_2024 and c["doc_type"] == "KH"
    assert c["document_number"].endswith("/KH-SNN") and c["document_date"] == "2024-03-15"
    assert c["issuing_agency_name"] == "Sở Nông nghiệp và Phát triển nông thôn" and c["place"] == "Lạng Sơn"
    assert [(b["number"], b["date"]) for b in c["legal_bases"]] == [("129/KH-UBND", "2021-06-05"),
                                                                    ("22/KH-SNN", "2024-01-26")]
    assert c["purposes"][0].startswith("Đánh giá tình hình triển khai") and len(c["requirements"]) == 1
    assert [a["number"] for a in c["content_areas"]] == [1, 2, 3, 4]
    assert "210/SNN-PTNT ngày 08/02/2021" in c["content_areas"][2]["title"]
    assert len(c["methods"]) == 2 and len(c["targets"]) == 2
    composition = c["team_composition"]
    assert composition[0]["team_role"] == "head" and composition[1]["invited_as_needed"] is True
    assert len(composition[1]["agency_ids"]) == 4  # KH và CN, Công Thương, Y tế, TN và MT (agencies of 2024)
    assert [cp["role"] for cp in c["counterparts"]] == ["local_leaders", "specialised_divisions", "commune_leaders",
                                                        "producer_representatives"]
    assert c["period"]["kind"] == "quarter" and c["period"]["quarter"] == 2
    assert (c["period_start"], c["period_end"]) == ("2024-04-01", "2024-06-30")
    assert (c["signer_title"], c["signer_name"]) == ("GIÁM ĐỐC", "Lý Việt Hưng")
    assert [r["name"] for r in c["recipients"]][0] == "UBND tỉnh" and c["recipients"][-1]["name"] == "Lưu VT"
    assert {u["name"] for u in c["units"]} == {"Huyện Chi Lăng", "Huyện Lộc Bình"}
    tasks = client.get(f"{API}/campaigns/{c['id']}/tasks", params={"kind": "plan"},
                       headers=as_user("coordinator")).json()["items"]
    assert len(tasks) == 3 and tasks[0]["assignee_agency_name"] == "Chi cục Phát triển nông thôn"
    assert tasks[2]["assignee_label"] == "UBND các huyện, thành phố"
    visits = client.get(f"{API}/campaigns/{c['id']}/visits", headers=as_user("coordinator")).json()["items"]
    assert {v["admin_unit_name"] for v in visits} == {"Huyện Chi Lăng", "Huyện Lộc Bình"}
    assert {v["kind"] for v in visits} == {"working_session", "site_visit"}
    # the issued text is kept as revision 1
    rev = client.get(f"{API}/campaigns/{c['id']}/revisions/1", headers=as_user("viewer")).json()
    assert rev["content"]["title"] == PLAN_2024 and len(rev["content"]["tasks"]) == 3


def test_seeded_2026_draft_targets_communes(client, session, as_user):
    c = client.get(f"{API}/campaigns/{seeded(session, 2026)}", headers=as_user("coordinator")).json()
    assert c["status"] == "draft" and c["document_number"] is None
    assert {u["level"] for u in c["units"]} == {"commune"} and len(c["units"]) == 3
    assert c["issuing_agency_name"] == "Sở Nông nghiệp và Môi trường"


def test_walk_the_whole_workflow_with_the_right_roles(client, session, as_user):
    co, leader = as_user("coordinator"), as_user("leader")
    c = draft(client, session, co)
    assert c["status"] == "draft" and c["allowed_transitions"] == ["submitted", "cancelled"] and c["editable"]
    # not ready: the team has no head
    r = move(client, co, c["id"], "submitted")
    assert r.status_code == 409 and r.json()["code"] == "campaign_incomplete"
    assert any("head" in p for p in r.json()["problems"]) and r.json()["problem_codes"] == ["no_head"]
    add_head(client, session, co, c["id"])
    # wrong state: a draft cannot be issued
    r = move(client, leader, c["id"], "issued")
    assert r.status_code == 409 and r.json()["allowed"] == ["submitted", "cancelled"]
    # right state, wrong role: the leader does not submit
    r = move(client, leader, c["id"], "submitted")
    assert r.status_code == 403 and r.json()["allowed"] == ["cancelled"]
    assert move(client, co, c["id"], "submitted").json()["status"] == "submitted"
    # only the leader issues
    r = move(client, co, c["id"], "issued")
    assert r.status_code == 403 and r.json()["code"] == "transition_forbidden"
    r = move(client, leader, c["id"], "issued", document_number="3/kh-snnmt")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "issued" and body["document_number"] == "03/KH-SNNMT" and body["revision"] == 1
    assert body["signer_name"] == "Lý Việt Hưng"
    for who, to in ((co, "in_progress"), (co, "reporting")):
        assert move(client, who, c["id"], to).json()["status"] == to
    assert move(client, co, c["id"], "closed").status_code == 403
    assert move(client, leader, c["id"], "closed").json()["status"] == "closed"
    r = move(client, leader, c["id"], "in_progress")
    assert r.status_code == 409 and r.json()["allowed"] == []
    events = [e for (e,) in session.execute(sa.select(OutboxEvent.event_type).where(
        OutboxEvent.aggregate_type == "campaign", OutboxEvent.aggregate_id == str(c["id"])).order_by(OutboxEvent.id))]
    assert events == ["campaign.submitted", "campaign.issued", "campaign.in_progress", "campaign.reporting",
                      "campaign.closed"]
    actions = {a for (a,) in session.execute(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "campaign", AuditEvent.entity_id == str(c["id"])))}
    assert {"campaign.create", "campaign.submitted", "campaign.issued", "campaign.closed"} <= actions


@pytest.mark.parametrize("username", ["inspector1", "local_chilang", "producer_dongbanh", "viewer"])
def test_others_cannot_move_or_even_see_a_draft(client, session, as_user, username):
    c = draft(client, session, as_user("coordinator"))
    r = move(client, as_user(username), c["id"], "submitted")
    assert r.status_code == 404


def test_return_and_cancel_need_a_reason(client, session, as_user):
    co, leader = as_user("coordinator"), as_user("leader")
    c = draft(client, session, co)
    add_head(client, session, co, c["id"])
    move(client, co, c["id"], "submitted")
    r = move(client, leader, c["id"], "draft")
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "note"]
    assert move(client, leader, c["id"], "draft", note="Bổ sung căn cứ pháp lý").json()["status"] == "draft"
    assert move(client, co, c["id"], "cancelled").json()["status"] == "cancelled"  # a draft needs no reason
    # cancelled is final; parts no longer change
    r = client.post(f"{API}/campaigns/{c['id']}/units", json={"admin_unit_id": unit_id(session, "187")}, headers=co)
    assert r.status_code == 409 and r.json()["code"] == "campaign_closed"


def test_issuing_takes_the_registers_number_never_one_made_up_nor_a_taken_one(client, session, as_user):
    first = issued(client, session, as_user, document_number="12/KH-SNNMT", document_date="2026-03-02")
    assert first["document_number"] == "12/KH-SNNMT"
    co, leader = as_user("coordinator"), as_user("leader")
    c = draft(client, session, co)
    add_head(client, session, co, c["id"])
    move(client, co, c["id"], "submitted")
    # no number: the system does not make one up
    r = move(client, leader, c["id"], "issued")
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "document_number"]
    for bad in ("KH-SNNMT", "12/KH", "12 KH-SNNMT", "0/KH-SNNMT", "12/TB-SNNMT"):  # not a plan's register number
        r = move(client, leader, c["id"], "issued", document_number=bad)
        assert r.status_code == 422 and r.json()["errors"][0]["loc"][-1] == "document_number", bad
    r = move(client, leader, c["id"], "issued", document_number=first["document_number"], document_date="2026-04-02")
    assert r.status_code == 409 and r.json()["code"] == "document_number_taken"
    assert client.get(f"{API}/campaigns/{c['id']}", headers=co).json()["status"] == "submitted"
    r = move(client, leader, c["id"], "issued", document_number="8/KH-SNNMT", document_date="2026-04-02")
    assert (r.json()["document_number"], r.json()["document_date"]) == ("08/KH-SNNMT", "2026-04-02")


def test_the_register_starts_again_each_year(client, session, as_user):
    """01/KH-SNNMT of 2025 and 01/KH-SNNMT of 2026 are two plans; the same number twice in one year is not."""
    last_year = issued(client, session, as_user, document_number="1/KH-SNNMT", document_date="2025-12-20")
    this_year = issued(client, session, as_user, document_number="01/KH-SNNMT", document_date="2026-01-05")
    assert (last_year["document_number"], this_year["document_number"]) == ("01/KH-SNNMT", "01/KH-SNNMT")
    co, leader = as_user("coordinator"), as_user("leader")
    c = draft(client, session, co)
    add_head(client, session, co, c["id"])
    move(client, co, c["id"], "submitted")
    r = move(client, leader, c["id"], "issued", document_number="01/KH-SNNMT", document_date="2026-02-01")
    assert r.status_code == 409 and r.json()["code"] == "document_number_taken"
    # an amendment that moves last year's plan into this year's register meets this year's 01 as well
    url = f"{API}/campaigns/{last_year['id']}/amendments"
    r = client.post(url, json={"reason": "Sửa ngày ban hành theo sổ", "changes": {"document_date": "2026-01-10"}},
                    headers={**leader, "If-Match": f'"{last_year["version"]}"'})
    assert r.status_code == 409 and r.json()["code"] == "document_number_taken"
    assert client.get(f"{API}/campaigns/{last_year['id']}", headers=co).json()["document_date"] == "2025-12-20"
    r = client.post(url, json={"reason": "Sửa ngày ban hành theo sổ", "changes": {"document_date": "2025-12-22"}},
                    headers={**leader, "If-Match": f'"{last_year["version"]}"'})
    assert r.status_code == 200 and r.json()["document_date"] == "2025-12-22"


def test_draft_edits_with_if_match_and_issued_plans_refuse_edits(client, session, as_user):
    co = as_user("coordinator")
    c = draft(client, session, co)
    url = f"{API}/campaigns/{c['id']}"
    assert client.patch(url, json={"title": "Kiểm tra mới"}, headers=co).status_code == 428
    r = client.patch(url, json={"purposes": ["Đánh giá việc sử dụng tem"]}, headers={**co, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["purposes"] == ["Đánh giá việc sử dụng tem"] and r.json()["version"] == 2
    assert client.patch(url, json={"title": "Kiểm tra lại"}, headers={**co, "If-Match": '"1"'}).status_code == 412
    # the leader reads the draft but does not edit it
    assert client.patch(url, json={"title": "Kiểm tra lại"}, headers={**as_user("leader"), "If-Match": '"2"'}) \
        .status_code == 403
    done = issued(client, session, as_user)
    r = client.patch(f"{API}/campaigns/{done['id']}", json={"title": "Sửa sau ban hành"},
                     headers={**co, "If-Match": f'"{done["version"]}"'})
    assert r.status_code == 409 and r.json()["code"] == "campaign_not_editable"
    assert client.get(f"{API}/campaigns/{done['id']}", headers=co).json()["title"] == done["title"]


def test_amendment_keeps_the_earlier_version_readable(client, session, as_user):
    c = issued(client, session, as_user)
    leader, co = as_user("leader"), as_user("coordinator")
    body = {"reason": "Bổ sung nội dung kiểm tra tem truy xuất", "changes": {
        "content_areas": c["content_areas"] + [{"number": 3, "title": "Truy xuất nguồn gốc"}]}}
    url = f"{API}/campaigns/{c['id']}/amendments"
    assert client.post(url, json=body, headers={**co, "If-Match": f'"{c["version"]}"'}).status_code == 403
    assert client.post(url, json=body, headers=leader).status_code == 428
    assert client.post(url, json=body, headers={**leader, "If-Match": '"1"'}).status_code == 412
    r = client.post(url, json=body, headers={**leader, "If-Match": f'"{c["version"]}"'})
    assert r.status_code == 200, r.text
    assert r.json()["revision"] == 2 and len(r.json()["content_areas"]) == 3
    revisions = client.get(f"{API}/campaigns/{c['id']}/revisions", headers=co).json()["items"]
    assert [x["revision"] for x in revisions] == [1, 2]
    assert len(revisions[0]["content"]["content_areas"]) == 2 and revisions[1]["reason"] == body["reason"]
    assert client.get(f"{API}/campaigns/{c['id']}/revisions/9", headers=co).status_code == 404
    # a draft is edited, not amended
    d = draft(client, session, co)
    r = client.post(f"{API}/campaigns/{d['id']}/amendments", json=body, headers={**leader, "If-Match": '"1"'})
    assert r.status_code == 409 and r.json()["code"] == "campaign_not_amendable"
    assert count(session, OutboxEvent, OutboxEvent.event_type == "campaign.amended") == 1


@pytest.mark.parametrize("body, loc", [
    ({"title": "Kế hoạch", "year": "năm nay"}, "year"),
    ({"title": "Kế hoạch kiểm tra", "year": 2026, "place": "Lạng Sơn", "issuing_agency_id": 999999}, "issuing_agency_id"),
    ({"title": "Kế hoạch kiểm tra", "year": 2026, "place": "Lạng Sơn", "issuing_agency_id": 1,
      "content_areas": [{"number": 1, "title": "A"}, {"number": 1, "title": "B"}]}, "content_areas"),
    ({"title": "Kế hoạch kiểm tra", "year": 2026, "place": "Lạng Sơn", "issuing_agency_id": 1,
      "period": {"kind": "quarter", "year": 2026}}, "period"),
    ({"title": "Kế hoạch kiểm tra", "year": 2026, "place": "Lạng Sơn", "issuing_agency_id": 1,
      "period": {"kind": "dates", "start": "2026-05-01", "end": "2026-04-01"}}, "period"),
    ({"title": "Kế hoạch kiểm tra", "year": 2026, "place": "Lạng Sơn", "issuing_agency_id": 1, "owner": "x"}, "owner"),
])
def test_bad_plans_are_refused_with_the_field_and_nothing_is_written(client, session, as_user, body, loc):
    from ocop.campaigns.models import Campaign

    before = count(session, Campaign)
    r = client.post(f"{API}/campaigns", json=body, headers=as_user("coordinator"))
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert any(loc in [str(x) for x in e["loc"]] for e in r.json()["errors"]), r.json()
    assert count(session, Campaign) == before


def test_malformed_json_and_roles_that_may_not_create(client, as_user, session):
    r = client.post(f"{API}/campaigns", content=b"{not json", headers={**as_user("coordinator"),
                                                                       "Content-Type": "application/json"})
    assert r.status_code == 422
    r = client.post(f"{API}/campaigns", json={"title": "Kế hoạch kiểm tra", "year": 2026, "place": "Lạng Sơn",
                                              "issuing_agency_id": agency(session, "SNNMT")},
                    headers=as_user("leader"))
    assert r.status_code == 403


def test_list_filters_and_pages(client, session, as_user):
    co = as_user("coordinator")
    for i in range(3):
        draft(client, session, co, title=f"Kiểm tra chuyên đề tem OCOP đợt {i + 1}")
    page = client.get(f"{API}/campaigns", params={"q": "chuyen de tem", "limit": 2}, headers=co).json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = client.get(f"{API}/campaigns", params={"q": "chuyen de tem", "limit": 2, "cursor": page["next_cursor"]},
                      headers=co).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert [c["year"] for c in client.get(f"{API}/campaigns", params={"year": 2024}, headers=co).json()["items"]] \
        == [2024]
    by_unit = client.get(f"{API}/campaigns", params={"unit_id": unit_id(session, "06463")}, headers=co).json()["items"]
    assert {c["year"] for c in by_unit} == {2026}
    assert client.get(f"{API}/campaigns", params={"cursor": "???"}, headers=co).status_code == 422
