"""The registry import against hostile or broken input (a declared sheet size, too many rows, zip bombs, control
characters) and against a crash in the middle of an import."""
from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from ocop.audit.models import AuditEvent
from ocop.core.db import utcnow
from ocop.main import create_app
from ocop.registry import importer
from ocop.registry.models import ImportJob, Product
from tests.conftest import PG_URL, count
from tests.registry.test_import import API, GOOD, HEADER, job, upload, xlsx


def patched(content: bytes, member: str, change) -> bytes:  # type: ignore[no-untyped-def]
    """The same ZIP with one member's bytes changed by `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, change(data) if info.filename == member else data)
    return out.getvalue()


def declaring(content: bytes, ref: str, last_row: int | None = None) -> bytes:
    """An XLSX whose first sheet declares the dimension `ref` whatever its cells, and has an empty row element
    numbered `last_row` (the rows between are missing, for the reader to fill in)."""
    def change(xml: bytes) -> bytes:
        start = xml.index(b"<dimension ref=\"") + len(b"<dimension ref=\"")
        xml = xml[:start] + ref.encode() + xml[xml.index(b"\"", start):]
        if last_row:
            xml = xml.replace(b"</sheetData>", f'<row r="{last_row}"/></sheetData>'.encode())
        return xml
    return patched(content, "xl/worksheets/sheet1.xml", change)


def no_files(storage_dir: Path) -> bool:
    return not storage_dir.exists() or not any(p.is_file() for p in storage_dir.rglob("*"))


# ---- the sheet's declared dimension ---------------------------------------------------------

MEASURE = textwrap.dedent("""
    import resource, sys
    from pathlib import Path
    from ocop.registry import importer

    importer.read_table(Path(sys.argv[1]), "warm-up.xlsx")  # the modules openpyxl imports on first use
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    parsed = importer.read_table(Path(sys.argv[2]), "declared.xlsx")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(len(parsed.rows), (after - before) // 1024)
""")


def test_a_sheet_declaring_a1_xfd3000_is_read_without_growing_the_process(tmp_path, client, as_user):
    plain = xlsx(GOOD)
    crafted = declaring(plain, "A1:XFD3000", last_row=3000)  # 16,384 columns by 3,000 rows; 3 rows and row 3000
    assert len(crafted) < 8000
    (tmp_path / "plain.xlsx").write_bytes(plain)
    (tmp_path / "declared.xlsx").write_bytes(crafted)
    out = subprocess.run([sys.executable, "-c", MEASURE, str(tmp_path / "plain.xlsx"), str(tmp_path / "declared.xlsx")],
                         capture_output=True, text=True, timeout=120, check=True).stdout.split()
    rows, grown_mb = int(out[0]), int(out[1])
    assert rows == 2
    assert grown_mb < 30, f"reading the file grew the process by {grown_mb} MB"
    # and through the API it is an ordinary list
    h = as_user("coordinator")
    r = upload(client, h, crafted)
    assert r.status_code == 202, r.text
    body = job(client, h, r.json()["id"])
    assert body["status"] == "ready" and body["total_rows"] == 2
    assert [row["row"] for row in body["rows"]] == [2, 3]


def test_a_sheet_declaring_a_later_start_still_reads_from_a1(client, as_user):
    h = as_user("coordinator")
    body = job(client, h, upload(client, h, declaring(xlsx(GOOD), "C3:D4")).json()["id"])
    assert body["total_rows"] == 2 and body["status"] == "ready"


def test_columns_past_the_header_are_not_read(tmp_path):
    wide = xlsx([[*row, *["x"] * 300] for row in GOOD], header=HEADER)
    (tmp_path / "wide.xlsx").write_bytes(wide)
    rows = list(importer._read_xlsx(tmp_path / "wide.xlsx"))
    assert {len(values) for _, values in rows} == {importer.MAX_COLUMNS}


# ---- the row cap ----------------------------------------------------------------------------

def test_a_file_over_the_row_cap_is_refused_and_nothing_is_kept(client, as_user, session, settings, monkeypatch,
                                                                storage_dir):
    h = as_user("coordinator")
    monkeypatch.setattr(settings, "import_max_rows", 5)
    rows = [[i, f"Sản phẩm {i}", "HTX Thử", "HTX", "Xã Chi Lăng", 3, 60, "", "", ""] for i in range(1, 7)]
    for content, name in ((xlsx(rows), "6-dong.xlsx"),
                          (("\n".join(",".join(map(str, r)) for r in [HEADER, *rows])).encode(), "6-dong.csv")):
        r = upload(client, h, content, name)
        assert r.status_code == 422, r.text
        problem = r.json()
        assert r.headers["content-type"].startswith("application/problem+json")
        assert problem["code"] == "import_too_many_rows" and problem["max_rows"] == 5
        assert "tối đa 5 dòng" in problem["detail"]
    assert count(session, ImportJob) == 0 and no_files(storage_dir)
    r = upload(client, h, xlsx(rows[:5]))  # at the cap: accepted
    assert r.status_code == 202, r.text


def test_rows_are_counted_while_the_file_is_read(tmp_path, monkeypatch):
    """Reading stops at the first row past the cap: the rest of the file is never held."""
    content = "\n".join(["STT,Tên sản phẩm,Chủ thể,Hạng sao", *(f"{i},SP {i},HTX,3" for i in range(100_000))])
    path = tmp_path / "big.csv"
    path.write_text(content, encoding="utf-8")
    pulled: list[int] = []
    real = importer._csv_rows

    def counting(text, dialect):  # type: ignore[no-untyped-def]
        for n, row in real(text, dialect):
            pulled.append(n)
            yield n, row

    monkeypatch.setattr(importer, "_csv_rows", counting)
    with pytest.raises(importer.Unprocessable) as refused:
        importer.read_table(path, "big.csv", max_rows=10)
    assert refused.value.code == "import_too_many_rows"
    assert len(pulled) == 12  # the header, 10 rows, the one too many


# ---- zip bombs --------------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, as_user, session, settings, monkeypatch, storage_dir):
    h = as_user("coordinator")
    # 40 MB of sheet XML (a comment openpyxl would skip while unpacking all of it) packed into some 40 kB
    bomb = patched(xlsx(GOOD), "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b"<sheetData>", b"<!--" + b"a" * (40 * 1024 * 1024) + b"--><sheetData>"))
    assert len(bomb) < 100_000
    r = upload(client, h, bomb)
    assert r.status_code == 413, r.text
    assert r.json()["code"] == "import_unpacked_too_large" and "giải nén" in r.json()["detail"]
    # a total over the limit, however well packed
    monkeypatch.setattr(settings, "import_max_unpacked_bytes", 4096)
    r = upload(client, h, xlsx(GOOD))
    assert r.status_code == 413 and r.json()["code"] == "import_unpacked_too_large"
    assert count(session, ImportJob) == 0 and no_files(storage_dir)


# ---- control characters -----------------------------------------------------------------------

def test_control_characters_are_row_errors_naming_the_column_and_not_stored(client, as_user, session):
    h = as_user("coordinator")
    csv_text = "\n".join([",".join(HEADER),
                          '1,Miến dong\x01 Bình Gia,HTX Miến dong Hoàng Văn Thụ,HTX,Xã Bình Gia,4,78.5,,,',
                          '2,"Thạch đen\tTràng Định",Hộ kinh doanh Nguyễn\x1b Văn Bình,Hộ kinh doanh,Xã Thất Khê,3,61,,,'])
    body = job(client, h, upload(client, h, csv_text.encode(), "dieu-khien.csv").json()["id"])
    assert body["status"] == "invalid"
    first, second = body["rows"]
    assert first["errors"][0]["column"] == "Tên sản phẩm" and "U+0001" in first["errors"][0]["message"]
    assert second["errors"][0]["column"] == "Chủ thể" and "U+001B" in second["errors"][0]["message"]
    assert len(second["errors"]) == 1  # the tab is an ordinary character
    stored = session.scalar(sa.select(ImportJob.rows).where(ImportJob.id == body["id"]))
    assert "\x01" not in repr(stored) and "\x1b" not in repr(stored)
    assert client.post(f"{API}/imports/{body['id']}/commit", headers=h).status_code == 409
    # in a workbook Excel writes them as _xHHHH_
    escaped = [[1, "Miến dong_x0007_ Bình Gia", *GOOD[0][2:]]]
    body = job(client, h, upload(client, h, xlsx(escaped)).json()["id"])
    assert body["rows"][0]["errors"][0]["column"] == "Tên sản phẩm" and "U+0007" in body["rows"][0]["errors"][0]["message"]


# ---- imports abandoned by a crash -------------------------------------------------------------

def _stuck(session, job_id: int, status: str, minutes_ago: float) -> None:  # type: ignore[no-untyped-def]
    session.execute(sa.update(ImportJob).where(ImportJob.id == job_id)
                    .values(status=status, heartbeat_at=utcnow() - timedelta(minutes=minutes_ago)))
    session.commit()


def test_an_import_left_committing_by_a_dead_process_is_failed_on_startup_and_can_be_committed(
        client, as_user, session, session_factory):
    h = as_user("coordinator")
    stale = upload(client, h, xlsx(GOOD)).json()["id"]
    fresh = upload(client, h, xlsx([[1, "Na Chi Lăng", "HTX Na Chi Lăng", "HTX", "Xã Chi Lăng", 3, 60, "", "", ""]]
                                   )).json()["id"]
    checking = upload(client, h, xlsx(GOOD)).json()["id"]
    assert job(client, h, stale)["status"] == job(client, h, fresh)["status"] == "ready"
    _stuck(session, stale, "committing", minutes_ago=60)  # its process died an hour ago
    _stuck(session, fresh, "committing", minutes_ago=0.5)  # another process is committing it right now
    _stuck(session, checking, "validating", minutes_ago=60)
    products = count(session, Product)

    with TestClient(create_app(), raise_server_exceptions=False):  # a server starting
        pass

    abandoned = job(client, h, stale)
    assert abandoned["status"] == "failed" and "gián đoạn" in abandoned["error"]
    assert "nothing was written" in abandoned["error"]
    assert job(client, h, fresh)["status"] == "committing"
    assert job(client, h, checking)["status"] == "failed"
    assert count(session, Product) == products
    assert count(session, AuditEvent, AuditEvent.action == "import.abandon") == 2
    # committed again by the user: every row applied once
    r = client.post(f"{API}/imports/{stale}/commit", headers=h)
    assert r.status_code == 202, r.text
    done = job(client, h, stale)
    assert done["status"] == "committed" and done["error"] is None
    assert done["summary"]["applied"]["products_created"] == 2 and count(session, Product) == products + 2
    # the one still in progress elsewhere, and a check that was interrupted, cannot be committed
    r = client.post(f"{API}/imports/{fresh}/commit", headers=h)
    assert r.status_code == 409 and r.json()["import_status"] == "committing"
    r = client.post(f"{API}/imports/{checking}/commit", headers=h)
    assert r.status_code == 409 and r.json()["import_status"] == "failed"


@pytest.mark.skipif(bool(PG_URL), reason="on PostgreSQL the test's sessions share one transaction (savepoints): a "
                    "rollback in one undoes another's commit; the lock test below covers PostgreSQL")
def test_a_commit_taken_for_abandoned_while_it_checked_writes_nothing(client, as_user, session, settings,
                                                                       monkeypatch):
    """A commit whose check outlasted the stale time and was marked failed meanwhile does not apply its rows."""
    from ocop.registry import service

    h = as_user("coordinator")
    job_id = upload(client, h, xlsx(GOOD)).json()["id"]
    real = importer.Planner.plan

    def slow_plan(self, rows, progress=None):  # type: ignore[no-untyped-def]
        plans = real(self, rows, progress)
        monkeypatch.setattr(settings, "import_stale_minutes", -1)  # this check took "too long"
        assert service.recover_abandoned_imports() == 1
        return plans

    monkeypatch.setattr(importer.Planner, "plan", slow_plan)
    products = count(session, Product)
    assert client.post(f"{API}/imports/{job_id}/commit", headers=h).status_code == 202
    body = job(client, h, job_id)
    assert body["status"] == "failed" and count(session, Product) == products


def test_the_worker_sweeps_at_most_once_a_minute(session_factory, monkeypatch):
    from ocop.registry import service

    monkeypatch.setattr(service, "_last_sweep", None)
    calls: list[int] = []
    monkeypatch.setattr(service, "new_session", lambda: calls.append(1) or session_factory())
    service.recover_abandoned_imports(force=False)
    service.recover_abandoned_imports(force=False)
    assert len(calls) == 1


@pytest.mark.skipif(not PG_URL, reason="row locks across connections: PostgreSQL")
def test_a_commit_applying_its_rows_in_another_process_is_left_alone(private_database):
    """The committing transaction holds the job's row; the sweep skips it however old its heartbeat."""
    from ocop.core import db as core_db
    from ocop.registry import service

    engine = core_db.make_engine(private_database)
    with engine.begin() as c:
        job_id = c.execute(sa.insert(ImportJob).values(
            kind="products", filename="x.xlsx", sha256="0" * 64, size=1, storage_key="00/" + "0" * 32,
            status="committing", created_at=utcnow() - timedelta(hours=2),
            heartbeat_at=utcnow() - timedelta(hours=2)).returning(ImportJob.id)).scalar_one()
    committer = engine.connect()
    tx = committer.begin()
    committer.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(heartbeat_at=utcnow()))  # the claim
    previous = core_db._session_factory
    core_db.set_session_factory(lambda: service.Session(engine, expire_on_commit=False))
    try:
        assert service.recover_abandoned_imports() == 0
        tx.rollback()  # the committing process dies: its transaction ends with it
        assert service.recover_abandoned_imports() == 1
    finally:
        core_db.set_session_factory(previous)
        committer.close()
        engine.dispose()
