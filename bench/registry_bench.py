"""Registry at national scale: search and list latency through the API, and a 10,000-row import.

    .venv/bin/python bench/registry_bench.py sqlite            # a fresh SQLite file under bench/out/
    .venv/bin/python bench/registry_bench.py postgresql://postgres@127.0.0.1:5432/postgres   # a fresh database
    options: --producers 100000 --products 200000 --requests 200 --import-rows 10000

Generates the data with bulk inserts, starts a real uvicorn (one worker per core) on it, signs in,
and prints p50/p95 per scenario (sequential requests, 4 at a time), then uploads a generated
10,000-row XLSX, waits for the dry run and the commit, and prints the times and the server's peak
memory (VmHWM). Prints markdown; targets: p95 < 100 ms on PostgreSQL, import < 15 s and < 400 MB.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "backend"))

from ocop.core.text import fold  # noqa: E402

WORDS = ["Na", "Mật ong", "Rượu men lá", "Chè", "Hồi", "Quế", "Miến dong", "Thạch đen", "Khâu nhục", "Vịt quay",
         "Măng", "Nấm hương", "Gạo nếp", "Trà", "Tinh dầu", "Bánh", "Lạp sườn", "Hạt dẻ", "Quýt", "Hồng"]
PLACES = ["Chi Lăng", "Lộc Bình", "Mẫu Sơn", "Bắc Sơn", "Hữu Lũng", "Tràng Định", "Văn Quan", "Đình Lập", "Cao Lộc",
          "Bình Gia", "Đồng Bành", "Văn Lãng", "Na Dương", "Thất Khê", "Hoàng Văn Thụ"]
KINDS = ["cooperative", "enterprise", "household_business", "cooperative_group"]


def start_server(env: dict[str, str], workers: int | None = None, port: int | None = None
                 ) -> tuple[subprocess.Popen[bytes], str]:
    """`ocop serve` on a free local port (one worker per core by default), once /readyz answers."""
    port = port or free_port()
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "ocop"), "serve", "--host", "127.0.0.1", "--port",
                               str(port), "--workers", str(workers or os.cpu_count() or 1)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if httpx.get(base + "/readyz").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return server, base


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def prepare_database(target: str) -> str:
    if target == "sqlite":
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        path = out / "registry.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = sa.make_url(target.replace("postgresql://", "postgresql+psycopg://", 1))
    name = "ocop_bench_registry"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def generate(url: str, producers: int, products: int) -> float:
    start = time.perf_counter()
    engine = sa.create_engine(url)
    rng = random.Random(42)
    md = sa.MetaData()
    md.reflect(engine, only=["producer", "product", "certificate"])
    with engine.begin() as conn:
        units = [r[0] for r in conn.execute(sa.text("SELECT id FROM admin_unit WHERE level IN ('commune','ward')"))]
        sets = [r[0] for r in conn.execute(sa.text("SELECT id FROM product_set"))]
        first_producer = (conn.execute(sa.text("SELECT coalesce(max(id), 0) FROM producer")).scalar() or 0) + 1
        now = datetime.now(UTC)
        if engine.dialect.name == "sqlite":
            now = now.replace(tzinfo=None)  # stored as UTC without an offset, as the application does
        batch = []
        producer_names: list[str] = []
        for i in range(producers):
            kind = KINDS[i % 4]
            prefix = {"cooperative": "HTX", "enterprise": "Công ty TNHH", "household_business": "Hộ kinh doanh",
                      "cooperative_group": "Tổ hợp tác"}[kind]
            name = f"{prefix} {rng.choice(WORDS)} {rng.choice(PLACES)} {i}"
            producer_names.append(fold(name))
            batch.append({"kind": kind, "name": name, "search_name": fold(name), "admin_unit_id": rng.choice(units),
                          "status": "active", "is_sample": True, "created_at": now, "updated_at": now, "version": 1})
            if len(batch) == 5000:
                conn.execute(md.tables["producer"].insert(), batch)
                batch = []
        if batch:
            conn.execute(md.tables["producer"].insert(), batch)
        pbatch, cbatch = [], []
        first_product = (conn.execute(sa.text("SELECT coalesce(max(id), 0) FROM product")).scalar() or 0) + 1
        today = date.today()
        for j in range(products):
            producer_id = first_producer + (j % producers)
            name = f"{rng.choice(WORDS)} {rng.choice(PLACES)} {j}"
            pbatch.append({"producer_id": producer_id, "name": name, "search_name": fold(name),
                           "search_text": f"{fold(name)} {producer_names[j % producers]}",
                           "product_set_id": rng.choice(sets), "status": "active", "is_sample": True,
                           "created_at": now, "updated_at": now, "version": 1})
            decided = today - timedelta(days=rng.randint(0, 1600))
            cbatch.append({"product_id": first_product + j, "certificate_number": f"BENCH-{j:07d}",
                           "decision_date": decided, "certifying_level": "province", "stars": rng.choice([3, 3, 4, 4, 5]),
                           "valid_from": decided, "valid_to": decided + timedelta(days=1095), "is_sample": True,
                           "created_at": now, "updated_at": now, "version": 1})
            if len(pbatch) == 5000:
                conn.execute(md.tables["product"].insert(), pbatch)
                conn.execute(md.tables["certificate"].insert(), cbatch)
                pbatch, cbatch = [], []
        if pbatch:
            conn.execute(md.tables["product"].insert(), pbatch)
            conn.execute(md.tables["certificate"].insert(), cbatch)
        conn.execute(sa.text("UPDATE product SET current_certificate_id = latest.cid FROM (SELECT product_id, "
                             "max(id) AS cid FROM certificate GROUP BY product_id) AS latest "
                             "WHERE latest.product_id = product.id AND product.current_certificate_id IS NULL"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(sa.text("VACUUM ANALYZE"))
    else:
        with engine.begin() as c:
            c.execute(sa.text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - start


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def measure(client: httpx.Client, path: str, params_list: list[dict], n: int) -> tuple[float, float, int]:
    def one(i: int) -> tuple[float, int]:
        t = time.perf_counter()
        r = client.get(path, params=params_list[i % len(params_list)])
        return time.perf_counter() - t, r.status_code

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(one, range(n)))
    lat = [r[0] * 1000 for r in results]
    errors = sum(1 for r in results if r[1] != 200)
    return statistics.median(lat), percentile(lat, 0.95), errors


def import_file(rows: int) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["STT", "Tên sản phẩm", "Chủ thể", "Loại hình chủ thể", "Địa chỉ / Xã", "Hạng sao", "Điểm",
               "Số quyết định", "Ngày quyết định", "Bộ sản phẩm"])
    for i in range(1, rows + 1):
        ws.append([i, f"Sản phẩm nhập {i}", f"HTX Nhập thử {i % 2000}", "Hợp tác xã", "Xã Chi Lăng", 3, 60,
                   f"{i}/QĐ-UBND", "15/01/2026", (i % 26) + 1])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def vm_hwm(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--producers", type=int, default=100_000)
    ap.add_argument("--products", type=int, default=200_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--import-rows", type=int, default=10_000)
    args = ap.parse_args()

    url = prepare_database(args.target)
    env = {**os.environ, "DATABASE_URL": url, "OCOP_LOG_LEVEL": "WARNING", "OCOP_STORAGE_DIR": str(ROOT / "bench" / "out" / "files"),
           "OCOP_IP_MAX_FAILURES": "100000"}
    ocop = str(ROOT / ".venv" / "bin" / "ocop")
    run([ocop, "db", "upgrade"], env)
    run([ocop, "seed-demo"], env)
    gen = generate(url, args.producers, args.products)
    engine_name = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"## Registry benchmark on {engine_name} ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)\n")
    print(f"Generated {args.producers:,} producers and {args.products:,} products with certificates in {gen:.1f} s.\n")

    server, base = start_server(env)
    port, workers = int(base.rsplit(":", 1)[1]), os.cpu_count() or 1
    try:
        token = httpx.post(base + "/api/v1/auth/token", data={"grant_type": "password", "username": "coordinator",
                                                              "password": os.environ.get("OCOP_DEMO_PASSWORD", "demo-password")}).json()["access_token"]
        client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        with httpx.Client(base_url=base) as anon:
            h = measure(anon, "/healthz", [{}], args.requests)
        chilang = client.get("/api/v1/admin-units", params={"code": "187"}).json()["items"][0]["id"]
        first = client.get("/api/v1/products", params={"limit": 50}).json()
        scenarios = [
            ("/healthz (reference)", None, None),
            ("products: unaccented search 'mat ong mau son'", "/api/v1/products",
             [{"q": "mat ong mau son"}, {"q": "ruou men la chi lang"}, {"q": "mien dong binh gia"}]),
            ("producers: unaccented search 'htx che'", "/api/v1/producers",
             [{"q": "htx che"}, {"q": "ho kinh doanh vit quay"}, {"q": "dong banh"}]),
            ("products: filter stars=4 + former Chi Lăng district", "/api/v1/products",
             [{"stars": 4, "unit_id": chilang}]),
            ("products: certificates expiring in 90 days", "/api/v1/products",
             [{"certificate_status": "expiring"}]),
            ("products: second page (cursor)", "/api/v1/products", [{"limit": 50, "cursor": first["next_cursor"]}]),
            ("certificates: status expired, 4 stars", "/api/v1/certificates", [{"status": "expired", "stars": 4}]),
        ]
        print(f"{args.requests} requests per scenario, 4 concurrent, page size 50, {workers} uvicorn workers.\n")
        print("| scenario | p50 ms | p95 ms | errors |")
        print("|---|---|---|---|")
        print(f"| /healthz (reference) | {h[0]:.1f} | {h[1]:.1f} | {h[2]} |")
        for name, path, params in scenarios[1:]:
            p50, p95, errors = measure(client, path, params, args.requests)
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {errors} |")
    finally:
        server.terminate()
        server.wait()

    # the import, against a one-worker server so that its peak memory is the import's
    server, base = start_server(env, workers=1, port=port)
    try:
        token = httpx.post(base + "/api/v1/auth/token", data={"grant_type": "password", "username": "coordinator",
                                                              "password": os.environ.get("OCOP_DEMO_PASSWORD", "demo-password")}).json()["access_token"]
        client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=300)
        content = import_file(args.import_rows)
        before = vm_hwm(server.pid)
        t0 = time.perf_counter()
        job = client.post("/api/v1/imports", files={"file": ("bench.xlsx", content)}).json()
        while (body := client.get(f"/api/v1/imports/{job['id']}").json())["status"] in ("queued", "validating"):
            time.sleep(0.2)
        t1 = time.perf_counter()
        client.post(f"/api/v1/imports/{job['id']}/commit")
        while (body := client.get(f"/api/v1/imports/{job['id']}").json())["status"] == "committing":
            time.sleep(0.2)
        t2 = time.perf_counter()
        print(f"\nImport of {args.import_rows:,} rows ({len(content) / 1e6:.1f} MB XLSX): dry run {t1 - t0:.1f} s, "
              f"commit {t2 - t1:.1f} s, total {t2 - t0:.1f} s, status {body['status']}; server peak memory "
              f"{vm_hwm(server.pid):.0f} MB (before: {before:.0f} MB).")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
