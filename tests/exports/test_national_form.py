"""GET /products?format=xlsx&form=national: the product list in the columns of the national OCOP database."""
from __future__ import annotations

from datetime import date

from tests.campaigns.helpers import API, unit_id
from tests.exports.helpers import assert_csv_matches_xlsx, column, csv_rows, is_problem_422, pages, xlsx

HEADER = ["STT", "Tên sản phẩm", "Nhóm sản phẩm", "Bộ sản phẩm", "Hạng sao", "Điểm đánh giá", "Tên chủ thể",
          "Loại hình chủ thể", "Mã số thuế", "Người đại diện", "Điện thoại", "Email", "Địa chỉ",
          "Xã, phường, thị trấn", "Huyện, thành phố (trước 01/7/2025)", "Tỉnh", "Số quyết định công nhận",
          "Ngày công nhận", "Cấp công nhận", "Số giấy chứng nhận", "Ngày hết hạn", "Tình trạng giấy chứng nhận"]
CERTIFICATE = {"valid": "Còn hiệu lực", "expiring": "Sắp hết hiệu lực", "expired": "Hết hiệu lực",
               "revoked": "Đã thu hồi", "superseded": "Đã được thay thế", None: "Chưa có chứng nhận"}


def as_date(value):
    return value.date() if value is not None else None


def test_the_national_form_lists_every_selected_product(client, as_user, catalogue):
    co = as_user("coordinator")
    listed, n = pages(client, "products", co)
    assert n == 2 and len(listed) == 56
    r, header, rows = xlsx(client, "products", co, form="national")
    assert "san-pham-ocop-mau-quoc-gia.xlsx" in r.headers["content-disposition"]
    assert header == HEADER
    assert column(header, rows, "STT") == list(range(1, 57))
    assert column(header, rows, "Tên sản phẩm") == [p["name"] for p in listed]
    assert column(header, rows, "Tên chủ thể") == [p["producer_name"] for p in listed]
    certs = [p["certificate"] or {} for p in listed]
    assert column(header, rows, "Hạng sao") == [c.get("stars") for c in certs]
    assert column(header, rows, "Số giấy chứng nhận") == [c.get("certificate_number") for c in certs]
    assert [as_date(d) for d in column(header, rows, "Ngày hết hạn")] == [
        date.fromisoformat(c["valid_to"]) if c else None for c in certs]
    assert column(header, rows, "Tình trạng giấy chứng nhận") == [CERTIFICATE[c.get("status")] for c in certs]
    assert set(column(header, rows, "Tỉnh")) == {"Tỉnh Lạng Sơn"}
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    na = by_name["Na Chi Lăng"]
    assert (na["Loại hình chủ thể"], na["Xã, phường, thị trấn"], na["Huyện, thành phố (trước 01/7/2025)"]) == (
        "Hợp tác xã", "Xã Chi Lăng", None)
    assert na["Nhóm sản phẩm"] == "1. Thực phẩm" and na["Bộ sản phẩm"] == "1. Rau, củ, quả, hạt tươi"
    # a producer still placed in a former district
    ngong = by_name["Ngồng hoa cải"]
    assert (ngong["Xã, phường, thị trấn"], ngong["Huyện, thành phố (trước 01/7/2025)"], ngong["Điểm đánh giá"]) == (
        None, "Thành phố Lạng Sơn", 70)
    # a producer registered with every detail, and its recognition decision
    full = by_name["Sản phẩm thử xuất bảng 15"]
    cert = client.get(f"{API}/certificates", params={"product_id": catalogue["products"][15]["id"]},
                      headers=co).json()["items"]
    assert not cert and full["Số quyết định công nhận"] is None  # the fourth of each four is not recognised
    full = by_name["Sản phẩm thử xuất bảng 14"]
    cert = client.get(f"{API}/certificates", params={"product_id": catalogue["products"][14]["id"]},
                      headers=co).json()["items"][0]
    assert (full["Số quyết định công nhận"], as_date(full["Ngày công nhận"]), full["Cấp công nhận"],
            full["Điểm đánh giá"], full["Hạng sao"]) == (
        "114/QĐ-UBND", date.fromisoformat(cert["decision_date"]), "Cấp tỉnh", 99, 5)
    producer = catalogue["producer"]
    row = by_name["Sản phẩm thử xuất bảng 15"]
    assert (row["Tên chủ thể"], row["Loại hình chủ thể"], row["Mã số thuế"], row["Người đại diện"], row["Điện thoại"],
            row["Email"], row["Địa chỉ"], row["Xã, phường, thị trấn"], row["Tỉnh"]) == (
        producer["name"], "Doanh nghiệp", producer["tax_code"], "Lý Văn Minh", "0205 3811 222", "xulang@example.vn",
        "Thôn Đồng Bành, xã Chi Lăng", "Xã Chi Lăng", "Tỉnh Lạng Sơn")
    assert row["Bộ sản phẩm"] == f"1. {catalogue['set']['name']}"
    r, c_header, c_rows = csv_rows(client, "products", co, form="national")
    assert "san-pham-ocop-mau-quoc-gia.csv" in r.headers["content-disposition"]
    assert_csv_matches_xlsx(header, rows, c_header, c_rows)


def test_filters_and_scope_are_the_product_lists(client, session, as_user, catalogue):
    for username, params in (("coordinator", {"stars": 4}), ("coordinator", {"certificate_status": "none"}),
                             ("viewer", {"unit_id": unit_id(session, "187")}), ("local_locbinh", {}),
                             ("producer_dongbanh", {})):
        h = as_user(username)
        listed, _ = pages(client, "products", h, **params)
        _, header, rows = xlsx(client, "products", h, form="national", **params)
        assert listed and column(header, rows, "Tên sản phẩm") == [p["name"] for p in listed], (username, params)
        assert column(header, rows, "STT") == list(range(1, len(listed) + 1))
    _, header, rows = xlsx(client, "products", as_user("local_locbinh"), form="national")
    assert "Na Chi Lăng" not in column(header, rows, "Tên sản phẩm")


def test_form_is_for_exports_and_the_usual_export_is_unchanged(client, as_user):
    h = as_user("viewer")
    assert is_problem_422(client.get(f"{API}/products", params={"form": "national"}, headers=h), "form")
    assert is_problem_422(client.get(f"{API}/products", params={"format": "xlsx", "form": "vietgap"}, headers=h),
                          "form")
    assert is_problem_422(client.get(f"{API}/products", params={"format": "pdf", "form": "national"}, headers=h),
                          "format")
    r, header, rows = xlsx(client, "products", h)
    assert "san-pham-ocop.xlsx" in r.headers["content-disposition"] and header[:3] == ["ID", "Tên sản phẩm", "Chủ thể"]
