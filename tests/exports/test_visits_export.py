"""GET /campaigns/{id}/visits?format=xlsx|csv: the whole schedule the caller sees."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.campaigns.helpers import API, issued, seeded, unit_id, visit
from tests.exports.helpers import (
    assert_csv_matches_xlsx,
    column,
    csv_rows,
    is_problem_422,
    local,
    pages,
    product,
    xlsx,
)

HEADER = ["Mã lượt kiểm tra", "Hình thức", "Trạng thái", "Bắt đầu", "Kết thúc", "Địa điểm", "Đơn vị hành chính",
          "Cơ quan chủ trì tại địa phương", "Chủ thể được kiểm tra", "Sản phẩm được kiểm tra", "Nội dung làm việc"]
KIND = {"working_session": "Làm việc với địa phương", "site_visit": "Kiểm tra thực tế"}
DONGBANH = "HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành"


@pytest.fixture
def schedule(client, session, as_user):
    """55 visits in one campaign: even ones in Chi Lăng (site visits to Đồng Bành for Na Chi Lăng, but every
    third a working session), odd ones in Lộc Bình (site visits for Rượu khoai lang Lộc Bình likewise)."""
    co = as_user("coordinator")
    chilang, locbinh = unit_id(session, "187"), unit_id(session, "188")
    c = issued(client, session, as_user, unit_ids=[chilang, locbinh])
    na = product(client, co, "na chi lang", "Na Chi Lăng")
    ruou = product(client, co, "ruou khoai lang", "Rượu khoai lang Lộc Bình")
    first = datetime(2026, 7, 1, 8, 0, tzinfo=timezone(timedelta(hours=7)))
    for i in range(55):
        p = na if i % 2 == 0 else ruou
        site = i % 3 != 0
        start = first + timedelta(days=i // 2, hours=4 * (i % 2))
        r = visit(client, co, c["id"], chilang if i % 2 == 0 else locbinh, start.isoformat(),
                  (start + timedelta(hours=2)).isoformat(), kind="site_visit" if site else "working_session",
                  programme=f"Nội dung làm việc {i}",
                  **({"targets": [{"producer_id": p["producer_id"], "product_id": p["id"]}]} if site else {}))
        assert r.status_code == 201, r.text
    return {"campaign": c, "chilang": chilang, "locbinh": locbinh}


def test_the_whole_schedule_in_time_order(client, as_user, schedule):
    co, cid = as_user("coordinator"), schedule["campaign"]["id"]
    path = f"campaigns/{cid}/visits"
    listed, n = pages(client, path, co)
    assert n == 2 and len(listed) == 55
    r, header, rows = xlsx(client, path, co)
    assert f"lich-kiem-tra-{cid}.xlsx" in r.headers["content-disposition"]
    assert header == HEADER
    assert column(header, rows, "Mã lượt kiểm tra") == [v["id"] for v in listed]
    assert column(header, rows, "Hình thức") == [KIND[v["kind"]] for v in listed]
    assert set(column(header, rows, "Trạng thái")) == {"Chưa bắt đầu"}
    assert column(header, rows, "Bắt đầu") == [local(v["starts_at"]) for v in listed]  # the province's time
    assert column(header, rows, "Bắt đầu")[0] == datetime(2026, 7, 1, 8, 0)
    assert column(header, rows, "Kết thúc") == [local(v["ends_at"]) for v in listed]
    assert column(header, rows, "Đơn vị hành chính") == [v["admin_unit_name"] for v in listed]
    assert column(header, rows, "Chủ thể được kiểm tra") == [
        "; ".join(dict.fromkeys(t["producer_name"] for t in v["targets"])) or None for v in listed]
    assert column(header, rows, "Sản phẩm được kiểm tra") == [
        "; ".join(t["product_name"] for t in v["targets"]) or None for v in listed]
    assert column(header, rows, "Nội dung làm việc") == [v["programme"] for v in listed]
    r, c_header, c_rows = csv_rows(client, path, co)
    assert f"lich-kiem-tra-{cid}.csv" in r.headers["content-disposition"]
    assert_csv_matches_xlsx(header, rows, c_header, c_rows)
    assert c_rows[0][3] == "2026-07-01 08:00"
    # the filters are the JSON list's
    for params in ({"kind": "site_visit"}, {"unit_id": schedule["locbinh"]}):
        listed, _ = pages(client, path, co, **params)
        _, header, rows = xlsx(client, path, co, **params)
        assert listed and column(header, rows, "Mã lượt kiểm tra") == [v["id"] for v in listed], params


def test_each_caller_gets_only_the_visits_they_see(client, as_user, as_client, session, schedule):
    path = f"campaigns/{schedule['campaign']['id']}/visits"
    expected = {"local_locbinh": (27, {"Huyện Lộc Bình"}), "local_chilang": (28, {"Huyện Chi Lăng"}),
                "producer_dongbanh": (18, {"Huyện Chi Lăng"})}
    for username, (count, units) in expected.items():
        h = as_user(username)
        listed, _ = pages(client, path, h)
        _, header, rows = xlsx(client, path, h)
        assert column(header, rows, "Mã lượt kiểm tra") == [v["id"] for v in listed], username
        assert len(rows) == count and set(column(header, rows, "Đơn vị hành chính")) == units, username
    _, header, rows = xlsx(client, path, as_user("producer_dongbanh"))
    assert set(column(header, rows, "Chủ thể được kiểm tra")) == {DONGBANH}
    # a partner system limited to Lộc Bình (campaigns:read) downloads Lộc Bình's part only
    h = as_client("campaigns:read", admin_unit_id=schedule["locbinh"])
    listed, _ = pages(client, path, h)
    _, header, rows = xlsx(client, path, h)
    assert len(rows) == 27 and column(header, rows, "Mã lượt kiểm tra") == [v["id"] for v in listed]


def test_a_campaign_the_caller_may_not_see_is_a_404_not_a_broken_file(client, session, as_user):
    draft = seeded(session, 2026)  # the seeded draft: local officers do not see drafts
    r = client.get(f"{API}/campaigns/{draft}/visits", params={"format": "xlsx"}, headers=as_user("local_chilang"))
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "campaign_not_found"
    r = client.get(f"{API}/campaigns/{seeded(session, 2024)}/visits", params={"format": "docx"},
                   headers=as_user("coordinator"))
    assert is_problem_422(r, "format")
