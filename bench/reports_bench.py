"""Documents and dashboard at scale: the results report of a large campaign, the dashboard over 1M findings.

    .venv/bin/python bench/reports_bench.py postgresql://postgres@127.0.0.1:5432/postgres   # a fresh database
    options: --findings 1000000 --producers 10000 --products 20000 --requests 30 [--reuse]

Generates producers and products, 1,000,000 findings with visits and actions (as findings_bench does), and one
campaign of 200 visits and 2,000 findings with checklist answers; starts a real uvicorn and prints markdown:
- the results report (BC) of that campaign as DOCX through the API: median and worst of N requests
  (target < 3 s);
- the dashboard through the API: province-wide, one former district, one period, a local officer
  (target p95 < 300 ms on PostgreSQL).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from findings_bench import generate_findings, tallies  # noqa: E402
from registry_bench import generate, percentile, prepare_database, run, start_server  # noqa: E402


def big_campaign(url: str, visits: int = 200, findings: int = 2000) -> int:
    """A campaign shaped like the seed plan: 4 content areas, the team of the demo campaign, visits with targets
    and answers, findings spread over them with actions."""
    rng = random.Random(11)
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    now = datetime.now(UTC)
    with psycopg.connect(dsn) as conn:
        cur = conn.cursor()
        demo = cur.execute("SELECT id FROM campaign WHERE year = 2024 ORDER BY id LIMIT 1").fetchone()[0]
        cid = cur.execute(
            "INSERT INTO campaign (status, year, doc_type, issuing_agency_id, place, document_date, document_number, "
            "title, search_title, introduction, legal_bases, purposes, requirements, content_areas, methods, targets, "
            "team_composition, counterparts, period, closing, signer_title, signer_name, recipients, "
            "checklist_template_id, revision, created_at, updated_at, version) "
            "SELECT 'in_progress', 2025, doc_type, issuing_agency_id, place, document_date, "
            "(SELECT count(*) + 900 FROM campaign) || '/KH-SNN', "
            "'Kiểm tra diện rộng', 'kiem tra dien rong', introduction, legal_bases, purposes, requirements, "
            "content_areas, methods, targets, team_composition, counterparts, period, closing, signer_title, "
            "signer_name, recipients, checklist_template_id, 1, now(), now(), 1 FROM campaign WHERE id = %s "
            "RETURNING id", (demo,)).fetchone()[0]
        cur.execute("INSERT INTO team_member (campaign_id, user_id, full_name, agency_id, title, phone, role, "
                    "invited_as_needed, position, created_at, updated_at, version) SELECT %s, user_id, full_name, "
                    "agency_id, title, phone, role, invited_as_needed, position, now(), now(), 1 FROM team_member "
                    "WHERE campaign_id = %s", (cid, demo))
        units = [r[0] for r in cur.execute("SELECT id FROM admin_unit WHERE level = 'commune' LIMIT 40")]
        products = cur.execute("SELECT p.id, p.producer_id, pr.admin_unit_id FROM product p JOIN producer pr ON "
                               "pr.id = p.producer_id ORDER BY p.id LIMIT %s", (visits,)).fetchall()
        items = cur.execute("SELECT id, code, content_area FROM checklist_item WHERE template_id = "
                            "(SELECT checklist_template_id FROM campaign WHERE id = %s)", (cid,)).fetchall()
        visit_ids = []
        for v in range(visits):
            start = now - timedelta(days=300 - v)
            pid, producer, unit = products[v % len(products)]
            vid = cur.execute(
                "INSERT INTO visit (campaign_id, kind, status, starts_at, ends_at, actual_start, actual_end, place, "
                "admin_unit_id, counterparts, team_member_ids, attendees, created_at, updated_at, version) VALUES "
                "(%s, 'site_visit', 'approved', %s, %s, %s, %s, 'Cơ sở sản xuất', %s, '[]', '[]', "
                "'[{\"name\": \"Đại diện chủ thể\"}]', now(), now(), 1) RETURNING id",
                (cid, start, start + timedelta(hours=2), start, start + timedelta(hours=2),
                 unit or rng.choice(units))).fetchone()[0]
            visit_ids.append((vid, producer, pid, unit))
            cur.execute("INSERT INTO visit_target (visit_id, producer_id, product_id) VALUES (%s, %s, %s)",
                        (vid, producer, pid))
            with cur.copy("COPY checklist_answer (visit_id, item_code, checklist_item_id, product_id, product_key, "
                          "value, failed, answered_at, version) FROM STDIN") as cp:
                for iid, code, _area in items:
                    failed = rng.random() < 0.1
                    cp.write_row((vid, code, iid, pid, pid, "no" if failed else "yes", failed, now, 1))
        with cur.copy("COPY finding (campaign_id, visit_id, producer_id, product_id, product_key, admin_unit_id, "
                      "content_area, item_code, category, severity, description, status, automatic, repeat_count, "
                      "created_at, updated_at, version) FROM STDIN") as cp:
            for i in range(findings):
                vid, producer, pid, unit = visit_ids[i % visits]
                area = rng.randint(2, 4)
                cp.write_row((cid, vid, producer, pid, 1_000_000_000 + i, unit, area, f"X{i}",
                              rng.choice(["mark_use", "labelling", "quality_management", "traceability"]),
                              rng.choice(["minor", "minor", "major", "critical"]), f"Tồn tại số {i}",
                              rng.choice(["open", "action_required", "verified", "closed"]), False, 0, now, now, 1))
        cur.execute("INSERT INTO corrective_action (finding_id, kind, description, owner_type, owner_producer_id, "
                    "due_date, status, rejections, created_at, updated_at, version) SELECT id, 'corrective', "
                    "'Khắc phục', 'producer', producer_id, current_date + (id %% 90 - 45)::int, "
                    "CASE WHEN status IN ('verified', 'closed') THEN 'accepted' ELSE 'open' END, 0, now(), now(), 1 "
                    "FROM finding WHERE campaign_id = %s", (cid,))
        conn.commit()
    tallies(url, [cid])
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return cid


def timed(client: httpx.Client, path: str, params: dict, n: int) -> tuple[float, float, float]:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(path, params=params)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.text[:300]
    return statistics.median(times), percentile(times, 95), max(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--findings", type=int, default=1_000_000)
    ap.add_argument("--producers", type=int, default=10_000)
    ap.add_argument("--products", type=int, default=20_000)  # the whole country has about 17,000 OCOP products
    ap.add_argument("--requests", type=int, default=30)
    ap.add_argument("--reuse", action="store_true", help="keep the database a previous run generated")
    args = ap.parse_args()
    if not args.target.startswith("postgres"):
        sys.exit("This benchmark runs on PostgreSQL.")
    url = prepare_database(args.target) if not args.reuse else sa.make_url(
        args.target.replace("postgresql://", "postgresql+psycopg://", 1)).set(
        database="ocop_bench_registry").render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "OCOP_LOG_LEVEL": "WARNING", "OCOP_IP_MAX_FAILURES": "100000",
           "OCOP_STORAGE_DIR": str(ROOT / "bench" / "out" / "files")}
    ocop = str(ROOT / ".venv" / "bin" / "ocop")
    gen = genf = 0.0
    if not args.reuse:
        run([ocop, "db", "upgrade"], env)
        run([ocop, "seed-demo"], env)
        gen = generate(url, args.producers, args.products)
        genf = generate_findings(url, args.findings)
    t = time.perf_counter()
    cid = big_campaign(url)
    genc = time.perf_counter() - t
    print(f"## Documents and dashboard benchmark on PostgreSQL ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores)\n")
    if args.reuse:
        print(f"The database of an earlier run, with a new campaign of 200 visits and 2,000 findings ({genc:.1f} s).\n")
    else:
        print(f"Generated {args.producers:,} producers, {args.products:,} products in {gen:.1f} s; {args.findings:,} "
              f"findings in {genf:.1f} s; a campaign of 200 visits and 2,000 findings with answers in {genc:.1f} s.\n")
    server, base = start_server(env)
    try:

        def token(user: str) -> str:
            return httpx.post(f"{base}/api/v1/auth/token", data={"grant_type": "password", "username": user,
                                                                 "password": "demo-password"}).json()["access_token"]

        admin, local = token("coordinator"), token("local_chilang")
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {admin}"}, timeout=120) as client:
            district = client.get("/api/v1/admin-units", params={"q": "Chi Lăng", "limit": 5}).json()["items"]
            district_id = next(u["id"] for u in district if u["name"].startswith("Huyện"))
            total = client.get("/api/v1/dashboard").json()["findings_total"]
            print(f"Dashboard findings counted province-wide: {total:,}.\n")
            print("| scenario | requests | p50 ms | p95 ms | max ms | target |")
            print("|---|---|---|---|---|---|")
            n = max(3, args.requests // 6)
            p50, p95, worst = timed(client, f"/api/v1/campaigns/{cid}/documents/report.docx", {}, n)
            print(f"| report (BC) DOCX, 200 visits / 2,000 findings | {n} | {p50:.0f} | {p95:.0f} | {worst:.0f} | < 3000 |")
            today = datetime.now(UTC).date()
            for label, params in (("dashboard, province", {}),
                                  ("dashboard, former district (old and new units)", {"unit_id": district_id}),
                                  ("dashboard, last 12 months", {"from": (today - timedelta(days=365)).isoformat(),
                                                                 "to": today.isoformat()})):
                p50, p95, worst = timed(client, "/api/v1/dashboard", params, args.requests)
                print(f"| {label} | {args.requests} | {p50:.0f} | {p95:.0f} | {worst:.0f} | < 300 |")
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {local}"}, timeout=60) as client:
            p50, p95, worst = timed(client, "/api/v1/dashboard", {}, args.requests)
            print(f"| dashboard, local officer | {args.requests} | {p50:.0f} | {p95:.0f} | {worst:.0f} | < 300 |")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
