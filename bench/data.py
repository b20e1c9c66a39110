"""`make bench-data`: a national-scale data set on PostgreSQL for `make bench`.

    .venv/bin/python bench/data.py [postgresql://postgres@127.0.0.1:5432/ocop_bench]
    options: --producers 100000 --products 200000 --findings 1000000 --answers 3000000

Drops and recreates the database named in the URL, migrates it, seeds the demo data, then generates with
bulk inserts and COPY: producers, products with certificates, campaigns, approved visits with findings and
corrective actions, checklist answers (15 per approved visit), a compliance status and a change-feed entry
per product, and, for the write load, visits being recorded (with a producer each) in campaigns whose team
includes `inspector1`. Writes `bench/out/bench-data.json` (what was generated, where, how long it took), which
`make bench` reads.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "backend"))

from findings_bench import generate_findings, tallies  # noqa: E402
from registry_bench import generate, run  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/ocop_bench"
STATE = ROOT / "bench" / "out" / "bench-data.json"
ANSWERS_PER_VISIT = 15
RECORDING_VISITS = 2000


def recreate(url: str) -> str:
    target = sa.make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    if not target.drivername.startswith("postgresql"):
        sys.exit("The benchmark data set lives on PostgreSQL (give a postgresql:// URL).")
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        c.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.render_as_string(hide_password=False)


def generate_answers(url: str, answers: int) -> tuple[int, float]:
    """Checklist answers on the approved visits (15 each, in item order), through COPY."""
    start = time.perf_counter()
    rng = random.Random(11)
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn) as conn:
        cur = conn.cursor()
        template = cur.execute("SELECT id FROM checklist_template WHERE campaign_id IS NULL AND status = 'published' "
                               "ORDER BY version DESC LIMIT 1").fetchone()[0]
        cur.execute("UPDATE campaign SET checklist_template_id = %s WHERE checklist_template_id IS NULL", (template,))
        items = cur.execute("SELECT id, code, answer_type FROM checklist_item WHERE template_id = %s ORDER BY position",
                            (template,)).fetchall()
        inspector = cur.execute("SELECT id FROM app_user WHERE username = 'inspector1'").fetchone()[0]
        visits = [r[0] for r in cur.execute("SELECT id FROM visit WHERE status = 'approved' AND place = "
                                            "'Cơ sở sản xuất' ORDER BY id LIMIT %s",
                                            (answers // ANSWERS_PER_VISIT,)).fetchall()]
        now = datetime.now(UTC)
        written = 0
        with cur.copy("COPY checklist_answer (visit_id, item_code, checklist_item_id, product_key, value, "
                      "number_value, text_value, failed, answered_by, answered_at, version) FROM STDIN") as cp:
            for visit in visits:
                for item_id, code, answer_type in items[:ANSWERS_PER_VISIT]:
                    value, number, text = None, None, None
                    if answer_type == "number":
                        number = float(rng.randint(0, 5000))
                    elif answer_type == "text":
                        text = "Đã kiểm tra hồ sơ"
                    else:
                        value = rng.choice(["yes", "yes", "yes", "no", "na"])
                    cp.write_row((visit, code, item_id, 0, value, number, text, value == "no", inspector, now, 1))
                    written += 1
        conn.commit()
    return written, time.perf_counter() - start


def prepare_writes(url: str, visits: int) -> float:
    """`inspector1` joins every generated campaign's team; visits being recorded, one producer each."""
    start = time.perf_counter()
    rng = random.Random(13)
    dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn) as conn:
        cur = conn.cursor()
        inspector = cur.execute("SELECT id FROM app_user WHERE username = 'inspector1'").fetchone()[0]
        campaigns = [r[0] for r in cur.execute("SELECT id FROM campaign WHERE title LIKE 'Đợt kiểm tra %%' "
                                               "ORDER BY id").fetchall()]
        cur.executemany("INSERT INTO team_member (campaign_id, user_id, role, position, created_at, updated_at, "
                        "version) VALUES (%s, %s, 'member', 1, now(), now(), 1) ON CONFLICT DO NOTHING",
                        [(c, inspector) for c in campaigns])
        producers = cur.execute("SELECT id, admin_unit_id FROM producer ORDER BY random() LIMIT %s",
                                (visits,)).fetchall()
        now = datetime.now(UTC)
        for k, (producer, unit) in enumerate(producers):
            starts = now - timedelta(hours=rng.randint(1, 48))
            visit = cur.execute(
                "INSERT INTO visit (campaign_id, kind, status, starts_at, ends_at, place, admin_unit_id, counterparts, "
                "team_member_ids, attendees, actual_start, created_at, updated_at, version) VALUES (%s, 'site_visit', "
                "'in_progress', %s, %s, 'Cơ sở đang kiểm tra', %s, '[]', '[]', '[]', %s, now(), now(), 1) RETURNING id",
                (campaigns[k % len(campaigns)], starts, starts + timedelta(hours=3), unit, starts)).fetchone()[0]
            cur.execute("INSERT INTO visit_target (visit_id, producer_id) VALUES (%s, %s)", (visit, producer))
        # the change feed: one entry per product, as the application writes them (with the transaction id)
        cur.execute("INSERT INTO compliance_change (product_id, txid, changed_at) SELECT product_id, txid_current(), "
                    "now() FROM compliance_status ORDER BY product_id")
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as c:
        found = {t: int(c.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() or 0) for t in  # noqa: S608
                 ("producer", "product", "certificate", "visit", "finding", "corrective_action", "checklist_answer",
                  "compliance_status", "compliance_change")}
    engine.dispose()
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", nargs="?", default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    ap.add_argument("--producers", type=int, default=100_000)
    ap.add_argument("--products", type=int, default=200_000)
    ap.add_argument("--findings", type=int, default=1_000_000)
    ap.add_argument("--answers", type=int, default=3_000_000)
    args = ap.parse_args()
    began = time.perf_counter()
    url = recreate(args.url)
    env = {**os.environ, "DATABASE_URL": url, "OCOP_LOG_LEVEL": "WARNING"}
    ocop = str(ROOT / ".venv" / "bin" / "ocop")
    run([ocop, "db", "upgrade"], env)
    run([ocop, "seed-demo"], env)
    print(f"database {sa.make_url(url).database}: migrated and seeded", flush=True)
    seconds = {"registry": generate(url, args.producers, args.products)}
    print(f"{args.producers:,} producers, {args.products:,} products: {seconds['registry']:.0f} s", flush=True)
    seconds["findings"] = generate_findings(url, args.findings)
    print(f"{args.findings:,} findings with visits and actions: {seconds['findings']:.0f} s", flush=True)
    written, seconds["answers"] = generate_answers(url, args.answers)
    print(f"{written:,} checklist answers: {seconds['answers']:.0f} s", flush=True)
    seconds["writes"] = prepare_writes(url, RECORDING_VISITS)
    tallies(url)
    found = counts(url)
    STATE.parent.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps({"url": url, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                                 "seconds": {k: round(v, 1) for k, v in seconds.items()},
                                 "total_seconds": round(time.perf_counter() - began, 1), "counts": found}, indent=2))
    print(json.dumps(found, indent=2))
    print(f"done in {time.perf_counter() - began:.0f} s; {STATE.relative_to(ROOT)} written")


if __name__ == "__main__":
    main()
