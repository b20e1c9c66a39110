"""Prints how long a failed sign-in takes for an unknown username and for a wrong password.

The two should be the same (both pay one argon2 verification), so that timing does not reveal
which usernames exist. Run against a server with the demo data:

    .venv/bin/python bench/login_timing.py [http://127.0.0.1:8000] [rounds]

Start the server with a high per-address limit so that throttling does not interfere
(`OCOP_IP_MAX_FAILURES=100000 .venv/bin/ocop serve`); the attempts alternate between the two
cases and stay under the per-account lockout (4 wrong passwords per demo account).
"""
from __future__ import annotations

import statistics
import sys
import time

import httpx

base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
demo = ["inspector1", "inspector2", "inspector3", "viewer", "leader"]


def attempt(client: httpx.Client, username: str) -> float:
    start = time.perf_counter()
    r = client.post("/api/v1/auth/token", data={"grant_type": "password", "username": username,
                                                "password": "definitely-wrong"})
    elapsed = time.perf_counter() - start
    assert r.status_code in (400, 429), r.text
    return elapsed


with httpx.Client(base_url=base, timeout=30) as client:
    unknown: list[float] = []
    wrong: list[float] = []
    for i in range(min(rounds, 4 * len(demo))):
        unknown.append(attempt(client, f"nobody-{time.time_ns()}"))
        wrong.append(attempt(client, demo[i % len(demo)]))

print("| case | n | median ms | p90 ms |")
print("|---|---|---|---|")
for name, xs in (("unknown username", unknown), ("wrong password", wrong)):
    xs = sorted(xs)
    print(f"| {name} | {len(xs)} | {statistics.median(xs) * 1000:.1f} | {xs[int(len(xs) * 0.9) - 1] * 1000:.1f} |")
