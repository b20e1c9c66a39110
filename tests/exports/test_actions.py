"""GET /actions: corrective actions across findings (JSON pages, filters, visibility) and its exports."""
from __future__ import annotations

import math
from datetime import date

from ocop.core.dates import today
from tests.exports.helpers import API, assert_csv_matches_xlsx, column, csv_rows, is_problem_422, pages, xlsx

HEADER = ["Mã biện pháp", "Mã phát hiện", "Mức độ phát hiện", "Trạng thái phát hiện", "Kế hoạch kiểm tra",
          "Đơn vị hành chính", "Chủ thể", "Sản phẩm", "Loại biện pháp", "Nội dung biện pháp", "Bên thực hiện",
          "Đơn vị thực hiện", "Hạn hoàn thành", "Trạng thái", "Quá hạn", "Kết quả khắc phục", "Ngày trả lời",
          "Ý kiến xác minh", "Số lần không chấp nhận"]
DONGBANH = "HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành"
LOCBINH = "HTX Nông nghiệp xanh Lộc Bình"


def late(action):
    return action["status"] == "open" and date.fromisoformat(action["due_date"]) < today()


def test_pages_through_every_action_newest_first_with_its_finding(client, as_user, work):
    co = as_user("coordinator")
    listed, n = pages(client, "actions", co)
    ids = [a["id"] for a in listed]
    assert n == 2 and len(ids) == len(set(ids)) > 56 and ids == sorted(ids, reverse=True)
    assert {a["id"] for a in work["actions"]} <= set(ids)
    small, n = pages(client, "actions", co, limit=7)
    assert [a["id"] for a in small] == ids and n == math.ceil(len(ids) / 7)
    big = client.get(f"{API}/actions", params={"limit": 1000}, headers=co).json()  # clamped to 200
    assert [a["id"] for a in big["items"]] == ids and big["next_cursor"] is None
    bad = client.get(f"{API}/actions", params={"cursor": "not-a-cursor"}, headers=co)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"
    by_id = {a["id"]: a for a in listed}
    for f, a in zip(work["findings"], work["actions"], strict=True):
        item = by_id[a["id"]]
        assert (item["finding_id"], item["finding_severity"], item["finding_status"], item["campaign_id"]) == (
            f["id"], f["severity"], "action_required", work["campaign"]["id"])
        assert (item["producer_name"], item["product_name"]) == (f["producer_name"], f["product_name"])
        assert item["admin_unit_name"] == ("Xã Chi Lăng" if f["producer_name"] == DONGBANH else "Huyện Lộc Bình")
        # a unit's action goes to the campaign's unit whose officers see the finding: the district of the plan,
        # not the commune formed in 2025 (its officers do not see a plan that names the former district)
        assert item["owner_name"] == (f["producer_name"] if a["owner_type"] == "producer" else
                                      "Huyện Chi Lăng" if f["producer_name"] == DONGBANH else "Huyện Lộc Bình")
        assert item["overdue"] == late(a) and item["due_date"] == a["due_date"]
    # the per-finding list says the same
    f = work["findings"][0]
    one = client.get(f"{API}/findings/{f['id']}/actions", headers=co).json()["items"]
    assert [a["id"] for a in one] == [a["id"] for a in listed if a["finding_id"] == f["id"]]


def test_filters(client, as_user, work):
    co, cid = as_user("coordinator"), work["campaign"]["id"]
    ours = {a["id"] for a in work["actions"]}
    everything = pages(client, "actions", co)[0]
    assert {a["id"] for a in pages(client, "actions", co, campaign_id=cid)[0]} == ours
    overdue = pages(client, "actions", co, overdue="true")[0]
    not_overdue = pages(client, "actions", co, overdue="false")[0]
    assert overdue and all(late(a) and a["overdue"] for a in overdue)
    assert not any(a["overdue"] for a in not_overdue)
    assert sorted(a["id"] for a in overdue + not_overdue) == sorted(a["id"] for a in everything)
    assert {a["id"] for a in overdue} & ours == {a["id"] for a in work["actions"] if late(a)}
    assert len({a["id"] for a in overdue} & ours) == 19
    units = pages(client, "actions", co, campaign_id=cid, owner_type="unit")[0]
    assert len(units) == 14 and {a["owner_type"] for a in units} == {"unit"}
    assert {a["status"] for a in pages(client, "actions", co, status="accepted")[0]} == {"accepted"}
    assert not pages(client, "actions", co, campaign_id=cid, status="accepted")[0]
    locbinh = pages(client, "actions", co, unit_id=client.get(f"{API}/admin-units", params={"code": "188"},
                                                              headers=co).json()["items"][0]["id"])[0]
    assert {a["producer_name"] for a in locbinh} >= {LOCBINH} and DONGBANH not in {a["producer_name"] for a in locbinh}
    assert len({a["id"] for a in locbinh} & ours) == 26
    mine = pages(client, "actions", co, producer_id=work["na"]["producer_id"])[0]
    assert {a["producer_name"] for a in mine} == {DONGBANH} and len({a["id"] for a in mine} & ours) == 30
    for bad in ({"status": "closed"}, {"overdue": "maybe"}, {"owner_type": "agency"}, {"format": "pdf"}):
        r = client.get(f"{API}/actions", params=bad, headers=co)
        assert is_problem_422(r, next(iter(bad))), bad


def test_what_the_caller_may_not_see_is_absent(client, as_user, as_client, work):
    ours = {a["id"]: f["producer_name"] for f, a in zip(work["findings"], work["actions"], strict=True)}
    chilang = {i for i, name in ours.items() if name == DONGBANH}
    for username, expected in (("local_chilang", chilang), ("local_locbinh", set(ours) - chilang),
                               ("producer_dongbanh", chilang), ("inspector2", set()), ("inspector1", set(ours))):
        h = as_user(username)
        listed = pages(client, "actions", h)[0]
        assert {a["id"] for a in listed} & set(ours) == expected, username
        # exactly the actions of the findings this caller sees
        seen = {f["id"] for f in pages(client, "findings", h)[0]}
        assert {a["finding_id"] for a in listed} <= seen, username
        assert len(listed) == sum(len(client.get(f"{API}/findings/{fid}/actions", params={"limit": 200},
                                                 headers=h).json()["items"]) for fid in seen), username
    hidden = next(f for f in work["findings"] if f["producer_name"] == LOCBINH)
    assert client.get(f"{API}/findings/{hidden['id']}/actions", headers=as_user("local_chilang")).status_code == 404
    r = client.get(f"{API}/actions", headers=as_client("compliance:read", "registry:read", "campaigns:read"))
    assert r.status_code == 403 and r.json()["code"] == "not_for_clients"


def test_export_is_the_whole_filtered_list(client, as_user, work):
    co, cid = as_user("coordinator"), work["campaign"]["id"]
    listed, n = pages(client, "actions", co, campaign_id=cid)
    assert n == 2
    r, header, rows = xlsx(client, "actions", co, campaign_id=cid)
    assert "bien-phap-khac-phuc.xlsx" in r.headers["content-disposition"]
    assert header == HEADER
    assert column(header, rows, "Mã biện pháp") == [a["id"] for a in listed]
    assert column(header, rows, "Mã phát hiện") == [a["finding_id"] for a in listed]
    assert column(header, rows, "Quá hạn") == ["Có" if a["overdue"] else None for a in listed]
    assert [d.date() for d in column(header, rows, "Hạn hoàn thành")] == [
        date.fromisoformat(a["due_date"]) for a in listed]
    assert column(header, rows, "Bên thực hiện") == [
        "Chủ thể OCOP" if a["owner_type"] == "producer" else "Chính quyền địa phương" for a in listed]
    assert column(header, rows, "Đơn vị thực hiện") == [a["owner_name"] for a in listed]
    assert set(column(header, rows, "Trạng thái")) == {"Chờ khắc phục"}
    assert set(column(header, rows, "Trạng thái phát hiện")) == {"Cần khắc phục"}
    assert set(column(header, rows, "Mức độ phát hiện")) == {"Lưu ý", "Nhẹ", "Nặng", "Nghiêm trọng"}
    r, c_header, c_rows = csv_rows(client, "actions", co, campaign_id=cid)
    assert "bien-phap-khac-phuc.csv" in r.headers["content-disposition"]
    assert_csv_matches_xlsx(header, rows, c_header, c_rows)
    # the filters and the caller's view are the JSON list's
    for username, params in (("coordinator", {"overdue": "true"}), ("local_chilang", {}),
                             ("producer_dongbanh", {"status": "open"}), ("local_locbinh", {"owner_type": "unit"})):
        h = as_user(username)
        listed = pages(client, "actions", h, **params)[0]
        _, header, rows = xlsx(client, "actions", h, **params)
        assert listed and column(header, rows, "Mã biện pháp") == [a["id"] for a in listed], (username, params)
