from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook

from ocop.audit.models import AuditEvent
from ocop.registry.models import Certificate, ImportJob, Product
from ocop.seed import SAMPLE_CSV
from tests.conftest import count

API = "/api/v1"
HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Loại hình chủ thể", "Địa chỉ / Xã", "Hạng sao", "Điểm",
          "Số quyết định", "Ngày quyết định", "Bộ sản phẩm"]


def xlsx(rows: list[list], header: list[str] = HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client, headers, content: bytes, name="danh-sach.xlsx"):
    return client.post(f"{API}/imports", files={"file": (name, content, "application/octet-stream")}, headers=headers)


def job(client, headers, job_id):
    return client.get(f"{API}/imports/{job_id}", headers=headers).json()


GOOD = [
    [1, "Miến dong Bình Gia", "HTX Miến dong Hoàng Văn Thụ", "Hợp tác xã", "Xã Bình Gia", 4, 78.5, "2865/QĐ-UBND",
     "31/12/2025", 6],
    [2, "Thạch đen Tràng Định", "Hộ kinh doanh Nguyễn Văn Bình", "Hộ kinh doanh", "Xã Thất Khê", 3, 61, "2865/QĐ-UBND",
     "31/12/2025", "Chế biến từ rau, củ, quả, hạt"],
]
BAD_ROW = [3, "Rượu ngô Bắc Sơn", "HTX Rượu ngô Bắc Sơn", "HTX", "Xã Bắc Sơn", 2, 40, "", "", ""]


def test_sample_file_as_it_is_reports_rows_without_producer(client, as_user, session):
    h = as_user("coordinator")
    r = upload(client, h, SAMPLE_CSV.read_bytes(), "lang-son-ocop-sample.csv")
    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"/api/v1/imports/{r.json()['id']}"
    body = job(client, h, r.json()["id"])
    assert body["status"] == "invalid" and body["total_rows"] == body["processed_rows"] == 40
    errors = [row for row in body["rows"] if row["outcome"] == "error"]
    assert len(errors) == 24
    assert all(e["errors"][0]["column"] == "Chủ thể" and e["errors"][0]["message"].startswith("Thiếu tên chủ thể")
               for e in errors)
    # the rows with a producer are already in the demo registry: nothing to do for them
    assert body["summary"] == {"total": 40, "create": 0, "update": 0, "unchanged": 16, "error": 24}
    before = count(session, Product)
    r = client.post(f"{API}/imports/{body['id']}/commit", headers=h)
    assert r.status_code == 409 and r.json()["code"] == "import_not_ready"
    assert count(session, Product) == before


def test_fix_a_bad_row_commit_and_import_again_changes_nothing(client, as_user, session):
    h = as_user("coordinator")
    first = upload(client, h, xlsx([*GOOD, BAD_ROW]))
    assert first.status_code == 202, first.text
    first = first.json()
    body = job(client, h, first["id"])
    assert body["status"] == "invalid"
    bad = [r for r in body["rows"] if r["outcome"] == "error"]
    assert [r["row"] for r in bad] == [4]  # spreadsheet row 4 (after the header)
    assert bad[0]["errors"][0]["column"] == "Hạng sao" and "từ 3 đến 5" in bad[0]["errors"][0]["message"]
    fixed = [*GOOD, [3, "Rượu ngô Bắc Sơn", "HTX Rượu ngô Bắc Sơn", "HTX", "Xã Bắc Sơn", 3, 55, "", "", ""]]
    second = upload(client, h, xlsx(fixed)).json()
    body = job(client, h, second["id"])
    assert body["status"] == "ready", body
    assert body["summary"]["create"] == 3 and body["summary"]["error"] == 0
    assert any("ngày quyết định" in w for w in body["rows"][2]["warnings"])
    products_before, certs_before = count(session, Product), count(session, Certificate)
    r = client.post(f"{API}/imports/{second['id']}/commit", headers=h)
    assert r.status_code == 202
    done = job(client, h, second["id"])
    assert done["status"] == "committed" and done["summary"]["applied"]["products_created"] == 3
    assert count(session, Product) == products_before + 3 and count(session, Certificate) == certs_before + 2
    found = client.get(f"{API}/products", params={"q": "mien dong binh gia"}, headers=h).json()["items"]
    assert found[0]["certificate"]["stars"] == 4 and found[0]["product_set_number"] == 6
    assert client.post(f"{API}/imports/{second['id']}/commit", headers=h).status_code == 409  # not twice
    # the same file again: every row unchanged, and committing writes nothing
    third = upload(client, h, xlsx(fixed)).json()
    body = job(client, h, third["id"])
    assert body["summary"] == {"total": 3, "create": 0, "update": 0, "unchanged": 3, "error": 0}
    audits = count(session, AuditEvent)
    assert client.post(f"{API}/imports/{third['id']}/commit", headers=h).status_code == 202
    assert count(session, Product) == products_before + 3 and count(session, Certificate) == certs_before + 2
    assert count(session, AuditEvent) == audits + 1  # only the import.commit event itself


def test_a_changed_score_is_an_update(client, as_user, session):
    h = as_user("coordinator")
    upload_ok = upload(client, h, xlsx(GOOD)).json()
    client.post(f"{API}/imports/{upload_ok['id']}/commit", headers=h)
    changed = [GOOD[0][:6] + [88.0] + GOOD[0][7:], GOOD[1]]
    body = job(client, h, upload(client, h, xlsx(changed)).json()["id"])
    assert [r["outcome"] for r in body["rows"]] == ["update", "unchanged"]
    client.post(f"{API}/imports/{body['id']}/commit", headers=h)
    score = session.scalar(sa.select(Certificate.score).join(Product, Product.id == Certificate.product_id)
                          .where(Product.name == "Miến dong Bình Gia"))
    assert score == 88.0


def test_bad_files_get_a_clear_4xx_and_write_nothing(client, as_user, session, settings, monkeypatch, storage_dir):
    h = as_user("coordinator")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    r = upload(client, h, png, "anh.xlsx")
    assert r.status_code == 415 and r.json()["code"] == "import_not_spreadsheet"
    r = upload(client, h, b"", "rong.csv")
    assert r.status_code == 422 and r.json()["code"] == "import_empty"
    r = upload(client, h, "Tên sản phẩm,Ghi chú\nNa,x\n".encode(), "thieu-cot.csv")
    assert r.status_code == 422 and set(r.json()["missing_columns"]) == {"producer_name", "stars"}
    assert len(r.json()["missing_labels"]) == 2  # in Vietnamese, for the SPA's message
    assert "Chủ thể" in r.json()["detail"]
    r = upload(client, h, xlsx([], header=HEADER), "chi-co-tieu-de.xlsx")
    assert r.status_code == 422 and r.json()["code"] == "import_empty"
    zip_not_xlsx = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(zip_not_xlsx, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert upload(client, h, zip_not_xlsx.getvalue(), "x.xlsx").status_code == 415
    assert client.post(f"{API}/imports", headers=h).status_code == 422  # no file at all
    monkeypatch.setattr(settings, "import_max_bytes", 2000)
    r = upload(client, h, b"a,b,c\n" * 1000, "lon.csv")
    assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
    assert count(session, ImportJob) == 0
    assert not storage_dir.exists() or not any(p.is_file() for p in Path(storage_dir).rglob("*"))
    r = upload(client, as_user("viewer"), xlsx(GOOD))
    assert r.status_code == 403


def test_large_file_reports_progress_and_commits_all_rows(client, as_user, session):
    h = as_user("coordinator")
    rows = "\n".join(f"{i},Sản phẩm thử {i},HTX Thử {i % 50},HTX,Xã Chi Lăng,3,60,{i}/QĐ-UBND,15/01/2026"
                     for i in range(1, 601))
    content = ("STT,Tên sản phẩm,Chủ thể,Loại hình,Xã,Hạng sao,Điểm,Số quyết định,Ngày quyết định\n" + rows).encode()
    created = upload(client, h, content, "600-dong.csv").json()
    body = job(client, h, created["id"])
    assert body["status"] == "ready" and body["processed_rows"] == body["total_rows"] == 600
    client.post(f"{API}/imports/{created['id']}/commit", headers=h)
    done = job(client, h, created["id"])
    assert done["status"] == "committed", done["error"]
    assert done["summary"]["applied"] == {"producers_created": 50, "producers_updated": 0, "products_created": 600,
                                          "products_updated": 0, "certificates_created": 600,
                                          "certificates_updated": 0}
    listed = client.get(f"{API}/imports", headers=h).json()["items"]
    assert listed[0]["id"] == created["id"] and listed[0]["rows"] is None


def test_planner_reports_progress_while_checking(session):
    from ocop.registry.importer import Planner

    rows = [(i + 2, {"product_name": f"Sản phẩm {i}", "producer_name": "HTX Tiến độ", "producer_kind": "HTX",
                     "address": "Xã Chi Lăng", "stars": 3}) for i in range(1200)]
    seen: list[int] = []
    plans = Planner(session).plan(rows, seen.append)
    assert seen == [500, 1000] and len(plans) == 1200
    assert {p.outcome for p in plans} == {"create"}


def test_polling_an_import_in_progress_leaves_out_the_rows(client, as_user, session):
    h = as_user("coordinator")
    created = upload(client, h, xlsx(GOOD)).json()
    assert len(job(client, h, created["id"])["rows"]) == 2
    session.execute(sa.update(ImportJob).where(ImportJob.id == created["id"]).values(status="committing"))
    session.commit()
    polled = job(client, h, created["id"])
    assert polled["status"] == "committing" and polled["rows"] is None
