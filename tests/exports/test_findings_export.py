"""GET /findings?format=xlsx|csv: the whole filtered list the caller sees, in Vietnamese columns."""
from __future__ import annotations

from datetime import datetime

from tests.exports.helpers import (
    API,
    assert_csv_matches_xlsx,
    column,
    csv_rows,
    is_problem_422,
    local,
    pages,
    xlsx,
)

HEADER = ["Mã phát hiện", "Kế hoạch kiểm tra", "Đơn vị hành chính", "Chủ thể", "Sản phẩm", "Nội dung kiểm tra",
          "Mã tiêu chí", "Lĩnh vực", "Mức độ", "Trạng thái", "Mô tả", "Kiến nghị", "Căn cứ pháp lý", "Số lần lặp lại",
          "Biện pháp chưa hoàn thành", "Biện pháp quá hạn", "Ngày ghi nhận"]
SEVERITY = {"observation": "Lưu ý", "minor": "Nhẹ", "major": "Nặng", "critical": "Nghiêm trọng"}


def number(description: str) -> int:
    return int(description.rsplit(" ", 1)[1])


def test_the_export_is_the_whole_filtered_list_in_vietnamese(client, as_user, work):
    co, cid = as_user("coordinator"), work["campaign"]["id"]
    listed, n = pages(client, "findings", co, campaign_id=cid)
    assert n == 2 and len(listed) == 56  # more than one page of the JSON list
    r, header, rows = xlsx(client, "findings", co, campaign_id=cid)
    assert "phat-hien-kiem-tra.xlsx" in r.headers["content-disposition"]
    assert header == HEADER
    assert column(header, rows, "Mã phát hiện") == [f["id"] for f in listed]
    assert column(header, rows, "Mức độ") == [SEVERITY[f["severity"]] for f in listed]
    assert column(header, rows, "Chủ thể") == [f["producer_name"] for f in listed]
    assert column(header, rows, "Sản phẩm") == [f["product_name"] for f in listed]
    assert column(header, rows, "Mô tả") == [f["description"] for f in listed]
    assert column(header, rows, "Kiến nghị") == [f["recommendation"] for f in listed]
    assert set(column(header, rows, "Trạng thái")) == {"Cần khắc phục"}  # each has an action
    assert set(column(header, rows, "Lĩnh vực")) == {"Truy xuất nguồn gốc", "Nhãn hàng hóa",
                                                      "Sử dụng nhãn hiệu, tem OCOP"}
    assert set(column(header, rows, "Kế hoạch kiểm tra")) == {work["campaign"]["title"] + (
        f" ({work['campaign']['document_number']})" if work["campaign"]["document_number"] else "")}
    assert set(column(header, rows, "Đơn vị hành chính")) == {"Xã Chi Lăng", "Huyện Lộc Bình"}
    assert column(header, rows, "Nội dung kiểm tra") == [
        "1. Công tác quản lý chất lượng" if f["content_area"] == 1 else "2. Sử dụng nhãn hiệu OCOP" for f in listed]
    assert column(header, rows, "Biện pháp chưa hoàn thành") == [1] * 56
    assert column(header, rows, "Biện pháp quá hạn") == [int(number(f["description"]) % 3 == 0) for f in listed]
    created = column(header, rows, "Ngày ghi nhận")
    assert all(isinstance(d, datetime) for d in created)  # a date cell, not text
    assert [d.date() for d in created] == [local(f["created_at"]).date() for f in listed]
    r, c_header, c_rows = csv_rows(client, "findings", co, campaign_id=cid)
    assert "phat-hien-kiem-tra.csv" in r.headers["content-disposition"]
    assert_csv_matches_xlsx(header, rows, c_header, c_rows)


def test_the_filters_are_the_json_lists(client, as_user, work):
    co, cid = as_user("coordinator"), work["campaign"]["id"]
    everything, _ = pages(client, "findings", co)
    _, header, rows = xlsx(client, "findings", co)
    assert column(header, rows, "Mã phát hiện") == [f["id"] for f in everything] and len(rows) > 56
    for params in ({"severity": "major"}, {"producer_id": work["ruou"]["producer_id"]},
                   {"product_id": work["na"]["id"]}, {"content_area": 2}, {"q": "dong banh"}):
        listed, _ = pages(client, "findings", co, campaign_id=cid, **params)
        _, header, rows = xlsx(client, "findings", co, campaign_id=cid, **params)
        assert listed and column(header, rows, "Mã phát hiện") == [f["id"] for f in listed], params
    _, header, rows = xlsx(client, "findings", co, campaign_id=cid, severity="major")
    assert len(rows) == 14 and set(column(header, rows, "Mức độ")) == {"Nặng"}


def test_each_caller_gets_only_the_findings_they_see(client, as_user, work):
    ours = {f["id"]: f["producer_name"] for f in work["findings"]}
    chilang = {i for i, name in ours.items() if "Đồng Bành" in name}
    for username, mine in (("local_chilang", chilang), ("local_locbinh", set(ours) - chilang),
                           ("producer_dongbanh", chilang), ("inspector2", set())):
        h = as_user(username)
        listed, _ = pages(client, "findings", h)
        _, header, rows = xlsx(client, "findings", h)
        ids = column(header, rows, "Mã phát hiện")
        assert ids == [f["id"] for f in listed], username
        assert set(ids) & set(ours) == mine, username
    _, header, rows = xlsx(client, "findings", as_user("producer_dongbanh"))
    assert set(column(header, rows, "Chủ thể")) == {"HTX Dịch vụ và Sản xuất nông nghiệp Đồng Bành"}
    # the plan is named to those who see its findings: the local officer of a unit it covers, the producer it
    # visits (findings come from its visits, so whoever sees a finding sees the plan)
    cid = work["campaign"]["id"]
    name = work["campaign"]["title"] + (
        f" ({work['campaign']['document_number']})" if work["campaign"]["document_number"] else "")
    for username in ("local_chilang", "producer_dongbanh"):
        assert client.get(f"{API}/campaigns/{cid}", headers=as_user(username)).status_code == 200
        _, header, rows = xlsx(client, "findings", as_user(username), campaign_id=cid)
        assert len(rows) == 30 and set(column(header, rows, "Kế hoạch kiểm tra")) == {name}, username


def test_an_unknown_format_is_a_problem(client, as_user):
    r = client.get(f"{API}/findings", params={"format": "pdf"}, headers=as_user("viewer"))
    assert is_problem_422(r, "format")
