"""`make bench`: the load scenarios against a real uvicorn on the `make bench-data` data set; writes bench/RESULTS.md.

    .venv/bin/python bench/run.py [--seconds 30] [--users 16] [--workers N] [--only registry,findings]

Starts `ocop serve` with one worker per core on the database `bench/out/bench-data.json` names, signs in
(admin for the reads, inspector1 for the writes, a new API client with compliance:read for the partner
scenarios), then runs each scenario with locust in headless mode for the same time and the same number of
users: /healthz first and last (the reference), registry search, findings list, compliance reads, the change
feed and a mixed write load. Every figure is reported with its ratio to /healthz in the same run. Locust runs
on the same machine as the server, so on a small machine the load generator takes part of the cores: the
/healthz ratio is the figure to compare between machines.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import platform
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from registry_bench import start_server, vm_hwm  # noqa: E402

OUT = ROOT / "bench" / "out"
STATE = OUT / "bench-data.json"
RESULTS = ROOT / "bench" / "RESULTS.md"
RAW = OUT / "results.json"  # the last run's figures, for `--render`
SCENARIOS = [  # (key, locust user class, title)
    ("healthz", "HealthUser", "/healthz (reference)"),
    ("registry", "RegistryUser", "Registry search"),
    ("findings", "FindingsUser", "Findings list"),
    ("compliance", "ComplianceUser", "Compliance reads (API client)"),
    ("feed", "FeedUser", "Compliance change feed (API client)"),
    ("writes", "MixedWriteUser", "Mixed write load (inspector)"),
]
PRODUCT_TERMS = ["mat ong mau son", "ruou men la chi lang", "mien dong binh gia", "che", "quyt bac son", "hoi",
                 "thach den trang dinh", "vit quay", "na chi lang", "tinh dau que"]
PRODUCER_TERMS = ["htx che", "ho kinh doanh vit quay", "dong banh", "cong ty tnhh", "to hop tac hoi loc binh",
                  "htx mat ong"]


def sample(url: str) -> dict[str, Any]:
    """Ids from the data set that the scenarios pick from at random."""
    engine = sa.create_engine(url)
    with engine.connect() as c:
        def ids(sql: str, **params: Any) -> list[int]:
            return [r[0] for r in c.execute(sa.text(sql), params)]

        inspector = c.execute(sa.text("SELECT id FROM app_user WHERE username = 'inspector1'")).scalar()
        data = {
            "products": ids("SELECT id FROM product ORDER BY random() LIMIT 5000"),
            "producers": ids("SELECT DISTINCT producer_id FROM finding TABLESAMPLE SYSTEM (1) LIMIT 2000"),
            "campaigns": ids("SELECT id FROM campaign WHERE title LIKE 'Đợt kiểm tra %' ORDER BY id"),
            "districts": ids("SELECT id FROM admin_unit WHERE level IN ('district', 'city', 'town')"),
            "open_findings": ids(
                "SELECT f.id FROM finding f TABLESAMPLE SYSTEM (5) JOIN team_member t ON t.campaign_id = f.campaign_id "
                "AND t.user_id = :inspector WHERE f.status = 'open' LIMIT 20000", inspector=inspector),
            "recording_visits": [dict(r._mapping) for r in c.execute(sa.text(
                "SELECT v.id, v.campaign_id, t.producer_id FROM visit v JOIN visit_target t ON t.visit_id = v.id "
                "WHERE v.status = 'in_progress' AND v.place = 'Cơ sở đang kiểm tra' ORDER BY v.id"))],
            "answer_items": [r[0] for r in c.execute(sa.text(
                "SELECT i.code FROM checklist_item i JOIN campaign c ON c.checklist_template_id = i.template_id "
                "WHERE c.title LIKE 'Đợt kiểm tra %' AND i.answer_type = 'yes_no_na' GROUP BY i.code ORDER BY i.code"))],
        }
    engine.dispose()
    data["product_terms"], data["producer_terms"] = PRODUCT_TERMS, PRODUCER_TERMS
    data["expiring_before"] = (date.today() + timedelta(days=90)).isoformat()
    empty = [k for k, v in data.items() if not v]
    if empty:
        sys.exit(f"The data set has nothing for {', '.join(empty)}: run `make bench-data` again.")
    return data


def tokens(base: str) -> dict[str, str]:
    def password(username: str) -> str:
        r = httpx.post(f"{base}/api/v1/auth/token", data={
            "grant_type": "password", "username": username,
            "password": os.environ.get("OCOP_DEMO_PASSWORD", "demo-password")}, timeout=30)
        r.raise_for_status()
        return str(r.json()["access_token"])

    admin = password("admin")
    c = httpx.post(f"{base}/api/v1/api-clients", json={"name": f"Đo tải {time.strftime('%H:%M:%S')}",
                                                        "scopes": ["compliance:read"]},
                   headers={"Authorization": f"Bearer {admin}"}, timeout=30)
    c.raise_for_status()
    t = httpx.post(f"{base}/api/v1/auth/token", data={"grant_type": "client_credentials", "client_id":
                                                      c.json()["client_id"], "client_secret": c.json()["client_secret"]},
                   timeout=30)
    t.raise_for_status()
    return {"admin": admin, "inspector": password("inspector1"), "partner": str(t.json()["access_token"])}


def run_scenario(base: str, key: str, user_class: str, data: dict[str, Any], seconds: int, users: int
                 ) -> dict[str, Any]:
    """One locust run; returns the aggregated row, one row per request name, and the failures."""
    inp = OUT / "locust-input.json"
    inp.write_text(json.dumps({**data, "tokens": tokens(base)}))
    prefix = OUT / f"locust-{key}"
    subprocess.run([str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
                    "--headless", "--only-summary", "--users", str(users), "--spawn-rate", str(users),
                    "--run-time", f"{seconds}s", "--stop-timeout", "5", "--host", base, "--csv", str(prefix),
                    "--loglevel", "WARNING", user_class],
                   check=False, env={**os.environ, "BENCH_INPUT": str(inp)}, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open(encoding="utf-8")))
    failures = list(csv.DictReader((prefix.parent / f"{prefix.name}_failures.csv").open(encoding="utf-8")))

    def figures(r: dict[str, str]) -> dict[str, Any]:
        return {"name": r["Name"], "method": r["Type"], "requests": int(r["Request Count"]),
                "errors": int(r["Failure Count"]), "rps": float(r["Requests/s"]), "p50": float(r["50%"]),
                "p95": float(r["95%"]), "p99": float(r["99%"])}

    total = next(figures(r) for r in rows if r["Name"] == "Aggregated")
    return {"key": key, "total": total, "parts": [figures(r) for r in rows if r["Name"] != "Aggregated"],
            "failures": [{"name": f["Name"], "error": f["Error"][:160], "count": int(f["Occurrences"])}
                         for f in failures]}


def ratio(value: float, reference: float) -> str:
    """Two decimals, or two significant digits below 0.1 (one request's share of /healthz's throughput)."""
    if not reference:
        return "–"
    r = value / reference
    return f"{r:.2f}" if r >= 0.1 or r == 0 else f"{r:.2g}"


FIGURES = ("rps", "p50", "p95", "p99")


def reference(results: list[dict[str, Any]]) -> dict[str, float]:
    """/healthz's figures in this run: the mean of its first and last measurement."""
    healthz = [r["total"] for r in results if r["key"] == "healthz"]
    return {k: sum(h[k] for h in healthz) / len(healthz) if healthz else 0.0 for k in FIGURES}


def table(rows: list[tuple[str, dict[str, Any]]], ref: dict[str, float], first: str) -> list[str]:
    """Figures and each one's ratio to /healthz's same figure (throughput: share of /healthz's; latency: times)."""
    lines = [f"| {first} | requests | req/s | p50 | p95 | p99 | errors | req/s ÷ /healthz | p50 ÷ /healthz | "
             "p95 ÷ /healthz | p99 ÷ /healthz |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for title, t in rows:
        lines.append(f"| {title} | {t['requests']:,} | {t['rps']:.1f} | {t['p50']:.0f} | {t['p95']:.0f} | "
                     f"{t['p99']:.0f} | {t['errors']} | " + " | ".join(ratio(t[k], ref[k]) for k in FIGURES) + " |")
    return lines


def write_results(state: dict[str, Any], results: list[dict[str, Any]], args: argparse.Namespace, workers: int,
                  server_rss: float, written: str) -> str:
    ref = reference(results)
    c = state["counts"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {written} ({platform.node() or 'this machine'}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL). Reproduce with "
        "`make bench-data` (once) then `make bench`.",
        "",
        f"Data set (`make bench-data`, generated {state['generated_at']} in {state['total_seconds']:.0f} s): "
        f"{c['producer']:,} producers, {c['product']:,} products, {c['certificate']:,} certificates, "
        f"{c['visit']:,} visits, {c['finding']:,} findings, {c['corrective_action']:,} corrective actions, "
        f"{c['checklist_answer']:,} checklist answers, {c['compliance_change']:,} change-feed entries.",
        "",
        f"Server: `ocop serve` with {workers} uvicorn workers. Load: locust {args.users} users per scenario, "
        f"{args.seconds} s each, no think time (each user sends its next request when the last one answers); locust "
        "runs on the same machine and takes part of its cores. Latencies in ms (locust rounds percentiles "
        "above 100 ms to two significant digits). Ratios: each figure over the same figure of /healthz measured in "
        "this run (/healthz first and last, averaged): a throughput ratio of 0.05 is 5 % of /healthz's requests per "
        "second; a latency ratio of 20 is twenty times /healthz's.",
        "",
    ]
    titles = {k: t for k, _, t in SCENARIOS}
    lines += table([(titles[r["key"]] + (" (again, last)" if r["key"] == "healthz" and r is results[-1] else ""),
                     r["total"]) for r in results], ref, "scenario")
    lines += ["", "## Per request", ""]
    for r in results:
        if r["key"] == "healthz":
            continue
        lines += [f"### {titles[r['key']]}", ""]
        lines += table([(f"{p['method']} {p['name']}", p) for p in r["parts"]], ref, "request")
        lines.append("")
    failures = [(r["key"], f) for r in results for f in r["failures"]]
    lines += ["## Errors", ""]
    if failures:
        lines += ["| scenario | request | error | count |", "|---|---|---|---|"]
        lines += [f"| {k} | {f['name']} | {f['error'].replace('|', '/')} | {f['count']} |" for k, f in failures]
    else:
        lines.append("None: every request answered with the expected status.")
    lines += ["", f"Server memory after the run (sum of the workers' peak resident size): {server_rss:.0f} MB.", ""]
    return "\n".join(lines)


def peak_rss(pid: int) -> float:
    """Peak resident memory (MB) of the server's processes: the supervisor and its workers."""
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return sum(mb for mb in map(vm_hwm, pids) if not math.isnan(mb))  # a process gone meanwhile reads nan


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--users", type=int, default=16)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", default="", help="comma-separated scenario keys (healthz is always measured)")
    ap.add_argument("--render", action="store_true",
                    help="write bench/RESULTS.md again from the last run's figures (bench/out/results.json), no load")
    args = ap.parse_args()
    if not STATE.exists():
        sys.exit("No data set: run `make bench-data` first (bench/out/bench-data.json is missing).")
    state = json.loads(STATE.read_text())
    if args.render:
        if not RAW.exists():
            sys.exit("No figures yet: run `make bench` first (bench/out/results.json is missing).")
        raw = json.loads(RAW.read_text())
        RESULTS.write_text(write_results(state, raw["results"], argparse.Namespace(**raw["args"]), raw["workers"],
                                         raw["rss"], raw["written"]), encoding="utf-8")
        print(f"{RESULTS.relative_to(ROOT)} written from {RAW.relative_to(ROOT)}")
        return
    url = state["url"]
    chosen = [s for s in SCENARIOS if s[0] == "healthz" or not args.only or s[0] in args.only.split(",")]
    env = {**os.environ, "DATABASE_URL": url, "OCOP_LOG_LEVEL": "WARNING", "OCOP_STORAGE_DIR": str(OUT / "files"),
           "OCOP_CLIENT_RATE_LIMIT": "100000000", "OCOP_PUBLIC_RATE_LIMIT": "100000000",
           "OCOP_AUTH_RATE_LIMIT": "100000", "OCOP_IP_MAX_FAILURES": "100000"}
    server, base = start_server(env, workers=args.workers)
    results = []
    try:
        data = sample(url)
        for key, user_class, title in [*chosen, chosen[0]]:
            print(f"{title}: {args.seconds} s, {args.users} users", flush=True)
            result = run_scenario(base, key, user_class, data, args.seconds, args.users)
            t = result["total"]
            print(f"  {t['requests']:,} requests, {t['rps']:.1f}/s, p50 {t['p50']:.0f} ms, p95 {t['p95']:.0f} ms, "
                  f"p99 {t['p99']:.0f} ms, {t['errors']} errors", flush=True)
            results.append(result)
        rss = peak_rss(server.pid)
    finally:
        server.terminate()
        server.wait(15)
    written = time.strftime("%Y-%m-%d %H:%M")
    RAW.write_text(json.dumps({"results": results, "args": {"users": args.users, "seconds": args.seconds},
                               "workers": args.workers, "rss": rss, "written": written}))
    RESULTS.write_text(write_results(state, results, args, args.workers, rss, written), encoding="utf-8")
    print(f"{RESULTS.relative_to(ROOT)} written")


if __name__ == "__main__":
    main()
