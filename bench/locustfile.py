"""Load scenarios for `make bench` (locust, headless). `bench/run.py` starts the server, signs in, writes the
input file named by BENCH_INPUT (tokens and sample ids from the generated data set) and runs one user class
per scenario:

    HealthUser      GET /healthz (the reference: what the server does with no application work)
    RegistryUser    registry search: unaccented product and producer searches, filters, a second page
    FindingsUser    the findings list with filters, and the next page through the cursor
    ComplianceUser  a partner system (API client, compliance:read) reading one product's compliance status
    FeedUser        a partner system following the compliance change feed from the beginning
    MixedWriteUser  an inspector recording visits: checklist answers, new findings, finding edits with If-Match,
                    and the reads that go with them

Each user sends its next request as soon as the last one answers (no think time): the figures are the
server's capacity, not a model of human pacing.
"""
from __future__ import annotations

import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, task

INPUT: dict[str, Any] = json.loads(Path(os.environ["BENCH_INPUT"]).read_text(encoding="utf-8"))


def _auth(token_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {INPUT['tokens'][token_key]}"}


class Base(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    token_key = "admin"

    def on_start(self) -> None:
        self.rng = random.Random()
        self.headers = _auth(self.token_key)

    def get_json(self, path: str, name: str, **params: Any) -> dict[str, Any] | None:
        with self.client.get(path, params=params, headers=self.headers, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}: {(r.text or '')[:200]}")
                return None
            return r.json()


class HealthUser(Base):
    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz")


class RegistryUser(Base):
    @task(4)
    def product_search(self) -> None:
        self.get_json("/api/v1/products", "products?q=", q=self.rng.choice(INPUT["product_terms"]), limit=50)

    @task(2)
    def producer_search(self) -> None:
        self.get_json("/api/v1/producers", "producers?q=", q=self.rng.choice(INPUT["producer_terms"]), limit=50)

    @task(2)
    def product_filter_and_next_page(self) -> None:
        filters = {"stars": self.rng.choice([3, 4, 5]), "unit_id": self.rng.choice(INPUT["districts"]), "limit": 50}
        page = self.get_json("/api/v1/products", "products?stars=&unit_id=", **filters)
        if page and page.get("next_cursor"):
            self.get_json("/api/v1/products", "products?stars=&unit_id=&cursor=", **filters,
                          cursor=page["next_cursor"])

    @task(1)
    def expiring(self) -> None:
        self.get_json("/api/v1/products", "products?expiring_before=", expiring_before=INPUT["expiring_before"],
                      limit=50)


class FindingsUser(Base):
    @task(4)
    def filtered(self) -> None:
        filters = {"status": self.rng.choice(["open", "action_required", "closed"]),
                   "severity": self.rng.choice(["minor", "major", "critical"]), "limit": 50}
        page = self.get_json("/api/v1/findings", "findings?status=&severity=", **filters)
        if page and page.get("next_cursor") and self.rng.random() < 0.5:
            self.get_json("/api/v1/findings", "findings?status=&severity=&cursor=", **filters,
                          cursor=page["next_cursor"])

    @task(2)
    def one_campaign(self) -> None:
        self.get_json("/api/v1/findings", "findings?campaign_id=", campaign_id=self.rng.choice(INPUT["campaigns"]),
                      limit=50)

    @task(2)
    def one_producer(self) -> None:
        self.get_json("/api/v1/findings", "findings?producer_id=", producer_id=self.rng.choice(INPUT["producers"]),
                      limit=50)

    @task(1)
    def unfiltered(self) -> None:
        self.get_json("/api/v1/findings", "findings", limit=50)


class ComplianceUser(Base):
    token_key = "partner"

    @task
    def product_status(self) -> None:
        self.get_json(f"/api/v1/compliance/products/{self.rng.choice(INPUT['products'])}",
                      "compliance/products/{id}")


class FeedUser(Base):
    token_key = "partner"

    def on_start(self) -> None:
        super().on_start()
        self.cursor: str | None = None

    @task
    def next_page(self) -> None:
        params: dict[str, Any] = {"limit": 100}
        if self.cursor:
            params["changed_since"] = self.cursor
        page = self.get_json("/api/v1/compliance/products", "compliance/products?changed_since=", **params)
        if page is not None:
            # caught up: start over, as a new partner system would
            self.cursor = page["next_cursor"] if page["items"] else None


class MixedWriteUser(Base):
    token_key = "inspector"

    def on_start(self) -> None:
        super().on_start()
        self.visit = self.rng.choice(INPUT["recording_visits"])

    def _write(self, method: str, path: str, name: str, body: dict[str, Any],
               headers: dict[str, str] | None = None) -> dict[str, Any] | None:
        with self.client.request(method, path, json=body, headers={**self.headers, **(headers or {})}, name=name,
                                 catch_response=True) as r:
            if r.status_code not in (200, 201):
                r.failure(f"{r.status_code}: {(r.text or '')[:200]}")
                return None
            return r.json()

    @task(3)
    def answer_checklist(self) -> None:
        items = self.rng.sample(INPUT["answer_items"], 3)
        self._write("PUT", f"/api/v1/visits/{self.visit['id']}/answers", "visits/{id}/answers",
                    {"answers": [{"item_code": code, "value": self.rng.choice(["yes", "no", "na"])}
                                 for code in items]})

    @task(1)
    def new_finding(self) -> None:
        self._write("POST", "/api/v1/findings", "findings",
                    {"campaign_id": self.visit["campaign_id"], "visit_id": self.visit["id"],
                     "producer_id": self.visit["producer_id"], "severity": self.rng.choice(["minor", "major"]),
                     "category": "labelling", "description": "Nhãn sản phẩm chưa ghi đủ thông tin bắt buộc."},
                    {"Idempotency-Key": str(uuid.uuid4())})

    @task(2)
    def edit_finding(self) -> None:
        finding = self.rng.choice(INPUT["open_findings"])
        with self.client.get(f"/api/v1/findings/{finding}", headers=self.headers, name="findings/{id}",
                             catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}: {(r.text or '')[:200]}")
                return
            etag = r.headers.get("ETag", "")
        self._write("PATCH", f"/api/v1/findings/{finding}", "findings/{id}",
                    {"recommendation": f"Bổ sung hồ sơ trước ngày {self.rng.randint(1, 28)}/12."},
                    {"If-Match": etag})

    @task(3)
    def read_own_work(self) -> None:
        self.get_json("/api/v1/findings", "findings?visit_id=", visit_id=self.visit["id"], limit=50)
        self.get_json(f"/api/v1/visits/{self.visit['id']}/answers", "visits/{id}/answers")
