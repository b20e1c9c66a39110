"""Fifty people save the same finding at once, against a real server (uvicorn, two workers) and a real database:
with the same If-Match one wins and the others get 412; retrying on 412 until they win, no update is lost."""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import DEMO_PASSWORD
from tests.servers import live_server

WRITERS = 50


@pytest.fixture
def live(private_database: str, tmp_path: Path) -> Iterator[str]:
    """A server of its own (uvicorn, two workers) over its own copy of the seeded database."""
    with live_server(private_database, tmp_path) as server:
        yield server.base


def test_fifty_writers_on_one_finding(live: str) -> None:
    token = httpx.post(f"{live}/api/v1/auth/token", data={"grant_type": "password", "username": "inspector1",
                                                          "password": DEMO_PASSWORD}).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=live, headers=auth, timeout=60) as c:
        finding = c.get("/api/v1/findings", params={"status": "action_required", "limit": 1}).json()["items"][0]
        url = f"/api/v1/findings/{finding['id']}"
        first = c.get(url)
        etag, v0 = first.headers["etag"], first.json()["version"]

    # everyone read the same version and saves at the same moment
    start = threading.Barrier(WRITERS)

    def once(i: int) -> httpx.Response:
        with httpx.Client(base_url=live, headers=auth, timeout=60) as c:
            start.wait()
            return c.patch(url, json={"recommendation": f"Kiến nghị của người thứ {i}"}, headers={"If-Match": etag})

    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(pool.map(once, range(WRITERS)))
    assert Counter(r.status_code for r in results) == {200: 1, 412: WRITERS - 1}, \
        Counter((r.status_code, r.json().get("code")) for r in results)
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in results if r.status_code == 412)
    winner = next(r.json() for r in results if r.status_code == 200)
    with httpx.Client(base_url=live, headers=auth, timeout=60) as c:
        now = c.get(url).json()
    assert now["version"] == v0 + 1 and now["recommendation"] == winner["recommendation"]

    # then each one reloads and tries again until it wins: every save lands on the version it read
    def until_saved(i: int) -> int:
        with httpx.Client(base_url=live, headers=auth, timeout=60) as c:
            for _ in range(200):
                current = c.get(url)
                r = c.patch(url, json={"recommendation": f"Lần lưu của người thứ {i}"},
                            headers={"If-Match": current.headers["etag"]})
                if r.status_code == 200:
                    assert r.json()["version"] == current.json()["version"] + 1
                    return int(r.json()["version"])
                assert r.status_code == 412, r.text
        raise AssertionError(f"writer {i} never saved")

    with ThreadPoolExecutor(WRITERS) as pool:
        versions = sorted(pool.map(until_saved, range(WRITERS)))
    assert versions == list(range(v0 + 2, v0 + 2 + WRITERS))  # fifty saves, fifty versions: none overwritten
    with httpx.Client(base_url=live, headers=auth, timeout=60) as c:
        assert c.get(url).json()["version"] == v0 + 1 + WRITERS
