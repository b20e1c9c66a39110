"""Reference client for partner systems: keep a local copy of OCOP compliance statuses.

    python examples/compliance_sync.py --base-url https://ocop.example.gov.vn \
        --client-id ocp_… --client-secret ocs_… --db compliance.db            # sync once (run it from cron)
    python examples/compliance_sync.py … --every 300                          # keep syncing every 5 minutes
    python examples/compliance_sync.py --listen 8099 --webhook-secret whsec_… # receive and verify webhooks

It signs in with client credentials (scope compliance:read), follows the change feed
GET /api/v1/compliance/products?changed_since=<cursor> page by page, stores each product's latest status in
SQLite together with the cursor (in the same transaction, so a crash never skips or repeats a change), and
polls again from the stored cursor. It also shows how to verify a webhook's Standard Webhooks signature.
Only httpx and the standard library are needed.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import sqlite3
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx

TOLERANCE_SECONDS = 300


def open_db(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE IF NOT EXISTS product_status (
            product_id INTEGER PRIMARY KEY, producer_id INTEGER, status TEXT NOT NULL, record TEXT NOT NULL,
            updated_at TEXT);
        CREATE TABLE IF NOT EXISTS sync_state (id INTEGER PRIMARY KEY CHECK (id = 1), cursor TEXT);
    """)
    return db


def token(client: httpx.Client, client_id: str, client_secret: str) -> str:
    r = client.post("/api/v1/auth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                "client_secret": client_secret, "scope": "compliance:read"})
    r.raise_for_status()
    return str(r.json()["access_token"])


def sync(client: httpx.Client, db: sqlite3.Connection, page_size: int = 200) -> int:
    """Apply every change since the stored cursor; returns how many records were written."""
    row = db.execute("SELECT cursor FROM sync_state WHERE id = 1").fetchone()
    cursor = row[0] if row else None
    written = 0
    while True:
        params: dict[str, Any] = {"limit": page_size}
        if cursor:
            params["changed_since"] = cursor
        r = client.get("/api/v1/compliance/products", params=params)
        r.raise_for_status()
        page = r.json()
        with db:  # the records and the cursor move together
            for item in page["items"]:
                db.execute("INSERT INTO product_status (product_id, producer_id, status, record, updated_at) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (product_id) DO UPDATE SET producer_id = excluded."
                           "producer_id, status = excluded.status, record = excluded.record, updated_at = "
                           "excluded.updated_at",
                           (item["product_id"], item["producer_id"], item["status"],
                            json.dumps(item, ensure_ascii=False), item["updated_at"]))
            cursor = page["next_cursor"]
            db.execute("INSERT INTO sync_state (id, cursor) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET "
                       "cursor = excluded.cursor", (cursor,))
        written += len(page["items"])
        if not page["items"]:
            return written


def verify_webhook(secret: str, headers: dict[str, str], body: bytes, now: float | None = None) -> dict[str, Any]:
    """Check a Standard Webhooks signature and timestamp; returns the event or raises ValueError."""
    h = {k.lower(): v for k, v in headers.items()}
    msg_id, ts, signatures = h.get("webhook-id"), h.get("webhook-timestamp"), h.get("webhook-signature", "")
    if not msg_id or not ts or not ts.isdigit():
        raise ValueError("missing webhook headers")
    if abs((now or time.time()) - int(ts)) > TOLERANCE_SECONDS:
        raise ValueError("timestamp too old or in the future")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return dict(json.loads(body))
    raise ValueError("no valid signature")


def listen(port: int, secret: str) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            try:
                event = verify_webhook(secret, dict(self.headers), body)
            except ValueError as exc:
                self.send_response(400)
                self.end_headers()
                print("refused:", exc)
                return
            print(event["type"], json.dumps(event["data"], ensure_ascii=False))
            self.send_response(204)
            self.end_headers()

    HTTPServer(("0.0.0.0", port), Handler).serve_forever()  # noqa: S104 (a receiver listens on the network)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url")
    ap.add_argument("--client-id")
    ap.add_argument("--client-secret")
    ap.add_argument("--db", default="compliance.db")
    ap.add_argument("--every", type=int, default=0, help="seconds between syncs (0: once)")
    ap.add_argument("--listen", type=int, help="receive webhooks on this port")
    ap.add_argument("--webhook-secret")
    args = ap.parse_args()
    if args.listen:
        listen(args.listen, args.webhook_secret)
        return
    db = open_db(args.db)
    with httpx.Client(base_url=args.base_url, timeout=30) as client:
        while True:
            client.headers["Authorization"] = f"Bearer {token(client, args.client_id, args.client_secret)}"
            print(f"{sync(client, db)} status records written")
            if not args.every:
                return
            time.sleep(args.every)


if __name__ == "__main__":
    main()
