"""Inspection work at national scale: the findings list and compliance reads through the API.

    .venv/bin/python bench/findings_bench.py postgresql://postgres@127.0.0.1:5432/postgres   # a fresh database
    options: --findings 1000000 --products 200000 --seconds 15 --concurrency 64

Generates producers, products with certificates, visits, 1,000,000 findings and their corrective actions
with COPY, and a compliance status row per product; starts a real uvicorn (one worker per core) and prints:
- the filtered findings list: p50/p95 of first pages and of the last page (keyset pagination: the last
  page should cost what the first does; target p95 < 100 ms and last ≤ 1.5 × first);
- compliance reads per second at 64 concurrent connections against /healthz in the same run with the same
  server (target ≥ 0.5 × /healthz, p99 < 50 ms, no errors).
Prints markdown.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from registry_bench import generate, percentile, prepare_database, run, start_server  # noqa: E402

SEVERITIES = ["observation", "minor", "minor", "major", "critical"]
STATUSES = ["open", "action_required", "response_submitted", "verified", "closed", "closed", "dismissed"]


def generate_findings(url: str, findings: int) -> float:
    """Visits (5 findings each) in one campaign per 20,000 findings, findings and one action per non-observation."""
    start = time.perf_counter()
    rng = random.Random(7)
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    now = datetime.now(UTC)
    with psycopg.connect(dsn) as conn:
        cur = conn.cursor()
        products = cur.execute("SELECT p.id, p.producer_id, pr.admin_unit_id FROM product p "
                               "JOIN producer pr ON pr.id = p.producer_id").fetchall()
        agency = cur.execute("SELECT id FROM agency WHERE code = 'SNNMT'").fetchone()[0]
        unit = cur.execute("SELECT id FROM admin_unit WHERE code = '20'").fetchone()[0]
        campaigns = max(1, findings // 20000)
        ids = []
        for c in range(campaigns):
            ids.append(cur.execute(
                "INSERT INTO campaign (status, year, doc_type, issuing_agency_id, place, title, search_title, "
                "legal_bases, purposes, requirements, content_areas, methods, targets, team_composition, counterparts,"
                " period, recipients, revision, created_at, updated_at, version) VALUES ('in_progress', 2026, 'KH', "
                "%s, 'Lạng Sơn', %s, %s, '[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '{}', '[]', 1, now(), now(), 1)"
                " RETURNING id", (agency, f"Đợt kiểm tra {c}", f"dot kiem tra {c}")).fetchone()[0])
        visits = findings // 5
        first_visit = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM visit").fetchone()[0]
        with cur.copy("COPY visit (id, campaign_id, kind, status, starts_at, ends_at, place, admin_unit_id, "
                      "counterparts, team_member_ids, attendees, created_at, updated_at, version) FROM STDIN") as cp:
            for v in range(visits):
                start_at = now - timedelta(days=rng.randint(1, 900))
                cp.write_row((first_visit + v, ids[v % campaigns], "site_visit", "approved", start_at,
                              start_at + timedelta(hours=2), "Cơ sở sản xuất", unit, "[]", "[]", "[]", now, now, 1))
        cur.execute(f"SELECT setval('visit_id_seq', {first_visit + visits})")
        first_finding = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM finding").fetchone()[0]
        actions = []
        with cur.copy("COPY finding (id, campaign_id, visit_id, producer_id, product_id, product_key, admin_unit_id, "
                      "content_area, item_code, category, severity, description, status, automatic, repeat_count, "
                      "created_at, updated_at, version) FROM STDIN") as cp:
            for i in range(findings):
                pid, producer, punit = products[rng.randrange(len(products))]
                sev, st = rng.choice(SEVERITIES), rng.choice(STATUSES)
                area = rng.randint(2, 4)
                cp.write_row((first_finding + i, ids[(i // 5) % campaigns], first_visit + i // 5, producer, pid, pid,
                              punit, area, f"ND{area}.0{i % 5 + 1}", "operations", sev,
                              "Phát hiện sinh ra cho đo hiệu năng", st, True, 0, now, now, 1))
                if sev != "observation":
                    actions.append((first_finding + i, st))
        cur.execute(f"SELECT setval('finding_id_seq', {first_finding + findings})")
        today = date.today()
        with cur.copy("COPY corrective_action (finding_id, kind, description, owner_type, due_date, status, rejections,"
                      " created_at, updated_at, version) FROM STDIN") as cp:
            for fid, st in actions:
                status = {"verified": "accepted", "closed": "accepted", "response_submitted": "responded"}.get(st, "open")
                cp.write_row((fid, "corrective", "Khắc phục", "producer", today + timedelta(days=rng.randint(-60, 90)),
                              status, 0, now, now, 1))
        cur.execute("INSERT INTO compliance_status (product_id, producer_id, admin_unit_id, status, reasons, "
                    "certificate, open_findings, updated_at) SELECT p.id, p.producer_id, pr.admin_unit_id, 'compliant', "
                    "'[]', NULL, %s, now() FROM product p JOIN producer pr ON pr.id = p.producer_id "
                    "ON CONFLICT DO NOTHING", (json.dumps({"minor": 0, "major": 0, "critical": 0}),))
        conn.commit()
    tallies(url)  # COPY bypasses the ORM: count the dashboard's tallies as the application keeps them
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


def tallies(url: str, campaign_ids: list[int] | None = None) -> None:
    from ocop.reports import tally

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        tally.recount(conn, campaign_ids)
    engine.dispose()


async def load(base: str, path: str | list[str], token: str | None, seconds: float, concurrency: int
               ) -> dict[str, float]:
    """Closed-loop load: `concurrency` connections, each sending its next request when the last one answers."""
    import aiohttp

    paths = path if isinstance(path, list) else [path]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base, headers=headers, connector=connector) as client:
        async def worker(k: int) -> None:
            nonlocal errors
            i = k
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    async with client.get(paths[i % len(paths)]) as r:
                        await r.read()
                        if r.status != 200:
                            errors += 1
                except aiohttp.ClientError:
                    errors += 1
                lat.append((time.perf_counter() - t) * 1000)
                i += concurrency
        began = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {"rps": len(lat) / elapsed, "p50": statistics.median(lat), "p99": percentile(lat, 0.99),
            "errors": errors, "n": len(lat)}


def timed(client: httpx.Client, path: str, params: dict, n: int) -> tuple[float, float]:
    lat = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(path, params=params)
        assert r.status_code == 200, r.text
        lat.append((time.perf_counter() - t) * 1000)
    return statistics.median(lat), percentile(lat, 0.95)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--findings", type=int, default=1_000_000)
    ap.add_argument("--producers", type=int, default=100_000)
    ap.add_argument("--products", type=int, default=200_000)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--requests", type=int, default=100)
    args = ap.parse_args()
    if not args.target.startswith("postgres"):
        sys.exit("This benchmark runs on PostgreSQL.")
    url = prepare_database(args.target)
    env = {**os.environ, "DATABASE_URL": url, "OCOP_LOG_LEVEL": "WARNING", "OCOP_IP_MAX_FAILURES": "100000",
           "OCOP_STORAGE_DIR": str(ROOT / "bench" / "out" / "files")}
    ocop = str(ROOT / ".venv" / "bin" / "ocop")
    run([ocop, "db", "upgrade"], env)
    run([ocop, "seed-demo"], env)
    gen = generate(url, args.producers, args.products)
    genf = generate_findings(url, args.findings)
    print(f"## Findings and compliance benchmark on PostgreSQL ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)\n")
    print(f"Generated {args.producers:,} producers and {args.products:,} products in {gen:.1f} s; "
          f"{args.findings:,} findings with visits and actions in {genf:.1f} s.\n")
    server, base = start_server(env)
    workers = str(os.cpu_count() or 1)
    try:
        token = httpx.post(f"{base}/api/v1/auth/token", data={"grant_type": "password", "username": "admin",
                                                              "password": "demo-password"}).json()["access_token"]
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            engine = sa.create_engine(url)
            with engine.connect() as c:
                lowest = c.execute(sa.text("SELECT min(id) FROM finding WHERE status = 'open' AND severity = 'major'"
                                           )).scalar()
                product_ids = [r[0] for r in c.execute(sa.text("SELECT id FROM product ORDER BY random() LIMIT 2000"))]
            engine.dispose()
            import base64

            def cursor(v: int) -> str:
                return base64.urlsafe_b64encode(json.dumps([v]).encode()).decode().rstrip("=")

            filt = {"status": "open", "severity": "major", "limit": 50}
            first = client.get("/api/v1/findings", params=filt).json()
            second_cursor = first["next_cursor"]
            print(f"{args.requests} sequential requests per list scenario, page size 50, {workers} uvicorn workers.\n")
            print("| scenario | p50 ms | p95 ms |")
            print("|---|---|---|")
            rows = [("findings: first page, open + major", "/api/v1/findings", filt),
                    ("findings: second page (cursor)", "/api/v1/findings", {**filt, "cursor": second_cursor}),
                    ("findings: last page (cursor)", "/api/v1/findings", {**filt, "cursor": cursor(lowest + 1)}),
                    ("findings: one producer", "/api/v1/findings", {"producer_id": 1, "limit": 50}),
                    ("findings: unfiltered first page", "/api/v1/findings", {"limit": 50})]
            results = {}
            for label, path, params in rows:
                results[label] = timed(client, path, params, args.requests)
                print(f"| {label} | {results[label][0]:.1f} | {results[label][1]:.1f} |")
            ratio = results["findings: last page (cursor)"][1] / results["findings: first page, open + major"][1]
            print(f"\nLast page p95 / first page p95: {ratio:.2f}\n")
        health = asyncio.run(load(base, "/healthz", None, args.seconds, args.concurrency))
        reads = asyncio.run(load(base, [f"/api/v1/compliance/products/{p}" for p in product_ids], token,
                                 args.seconds, args.concurrency))
        print(f"{args.concurrency} concurrent connections, {args.seconds:.0f} s each, same server:\n")
        print("| scenario | requests/s | p50 ms | p99 ms | errors | ratio to /healthz |")
        print("|---|---|---|---|---|---|")
        for label, r in (("/healthz", health), ("compliance read", reads)):
            print(f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']:.0f} | "
                  f"{r['rps'] / health['rps']:.2f} |")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
