"""The database restarts under a write load: the API recovers by itself, every acknowledged write is kept, and
retries with the same Idempotency-Key create nothing twice.

A PostgreSQL cluster of the test's own (the shared server is not ours to restart) serves a real server (uvicorn,
two workers). Writers keep registering producers, each with its own Idempotency-Key and a unique name, and repeat
a request that failed, or whose answer they abandoned, with the same key and body until it is answered. Meanwhile
the database is stopped twice, once cleanly (`-m fast`) and once as in a crash (`-m immediate`, then crash
recovery), and stays down for a moment each time.

Runs in the PostgreSQL phase (TEST_DATABASE_URL set); needs PostgreSQL's server binaries (initdb, pg_ctl). The
two cases that matter most for Idempotency-Key are also played one at a time, on both engines, at the end."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col

from tests.conftest import DEMO_PASSWORD, PG_URL, migrate_and_seed
from tests.servers import LiveServer, free_port, live_server

pytestmark = pytest.mark.serial  # stops a cluster of its own under load: alone, after the parallel run
on_postgresql = pytest.mark.skipif(not PG_URL.startswith(("postgresql:", "postgres:", "postgresql+")),
                                   reason="a PostgreSQL fault test: runs when TEST_DATABASE_URL names PostgreSQL")

WRITERS = 6
DOWN_SECONDS = 1.5      # how long the database stays stopped each time
STEADY_SECONDS = 2.5    # load before, between and after the restarts
RETRY_BUDGET = 30.0     # a writer gives up on a key after this long
REQUEST_TIMEOUT = 10.0  # an answer slower than this counts as a hanging request
ABANDON_EVERY = 4       # every 4th key: the first attempt is abandoned before its answer arrives


# ---- a PostgreSQL cluster of the test's own ---------------------------------------------------------------------

def _bindir() -> Path | None:
    def major(path: str) -> float:
        try:
            return float(Path(path).parents[1].name)
        except ValueError:
            return 0.0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=major)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class Cluster:
    bindir: Path
    root: Path
    port: int
    prefix: list[str]  # runs the binaries as the `postgres` user when we are root

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/ocop"

    def run(self, program: str, *args: str, timeout: float = 60) -> None:
        done = subprocess.run([*self.prefix, str(self.bindir / program), *args], capture_output=True, text=True,
                              timeout=timeout, cwd=self.root)
        if done.returncode:
            raise RuntimeError(f"{program} {' '.join(args)} failed ({done.returncode}): {done.stdout}{done.stderr}")

    def start(self) -> None:
        # fsync=off only matters when the operating system crashes; a commit still reaches the kernel before it
        # is acknowledged (synchronous_commit stays on), so a crash of PostgreSQL itself loses nothing
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
        self.run("pg_ctl", "start", "-D", str(self.data), "-w", "-t", "60", "-l", str(self.root / "server.log"),
                 "-o", options)

    def stop(self, mode: str) -> None:
        self.run("pg_ctl", "stop", "-D", str(self.data), "-w", "-t", "60", "-m", mode)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    bindir = _bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        pytest.skip("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the postgres user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run a PostgreSQL cluster")
        if shutil.which("runuser") is None:
            pytest.skip("running as root and runuser is missing")
        prefix = ["runuser", "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="ocop-pg-"))  # short: the socket lives here
    if prefix:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    c = Cluster(bindir, root, free_port(), prefix)
    try:
        c.run("initdb", "-D", str(c.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
              timeout=120)
        c.start()
        admin = sa.create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{c.port}/postgres",
                                 isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text("CREATE DATABASE ocop"))
        admin.dispose()
        yield c
    finally:
        with suppress(Exception):  # already stopped, or never started
            c.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


# ---- writers ----------------------------------------------------------------------------------------------------

@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    keys: dict[str, str] = field(default_factory=dict)           # idempotency key → marker (every key tried)
    acked: dict[str, int] = field(default_factory=dict)          # marker → id the 2xx answer gave
    lost: set[str] = field(default_factory=set)                  # markers answered "done, but answer lost"
    unfinished: set[str] = field(default_factory=set)            # markers never answered within the budget
    outcomes: Counter[str] = field(default_factory=Counter)      # every attempt's outcome
    retried: int = 0                                             # keys that needed more than one attempt
    replayed: int = 0                                            # 2xx answers that were stored first answers
    abandoned: int = 0                                           # first attempts deliberately not waited for
    not_problem: list[str] = field(default_factory=list)         # error answers not problem+json (or 503s
                                                                 # without Retry-After)
    unexpected: list[str] = field(default_factory=list)          # answers a retry cannot help
    slowest: float = 0.0
    failures: list[tuple[float, str]] = field(default_factory=list)  # when each failed attempt (5xx, no answer) ended
    successes: list[float] = field(default_factory=list)             # when each 2xx answer came

    def note(self, outcome: str, elapsed: float, failed: bool = False, success: bool = False) -> None:
        with self.lock:
            self.outcomes[outcome] += 1
            self.slowest = max(self.slowest, elapsed)
            if failed:
                self.failures.append((time.monotonic(), outcome))
            if success:
                self.successes.append(time.monotonic())


def _writer(n: int, base: str, auth: dict[str, str], unit_id: int, run: str, stop: threading.Event,
            tally: Tally) -> None:
    with httpx.Client(base_url=base, headers=auth, timeout=REQUEST_TIMEOUT) as c:
        i = 0
        while not stop.is_set():
            i += 1
            key, marker = str(uuid.uuid4()), f"fault-{run}-{n}-{i}"
            body = {"kind": "cooperative", "name": marker, "admin_unit_id": unit_id, "note": marker}
            with tally.lock:
                tally.keys[key] = marker
            deadline = time.monotonic() + RETRY_BUDGET
            attempt = 0
            while True:
                attempt += 1
                started = time.monotonic()
                if attempt == 1 and i % ABANDON_EVERY == 0:
                    # a client that gives up on the answer (or loses its connection) before it arrives
                    try:
                        c.post("/api/v1/producers", json=body, headers={"Idempotency-Key": key},
                               timeout=httpx.Timeout(REQUEST_TIMEOUT, read=0.002))
                        tally.note("answered before abandoning", time.monotonic() - started)
                    except httpx.TimeoutException:
                        tally.note("abandoned by the client", time.monotonic() - started)
                        with tally.lock:
                            tally.abandoned += 1
                    continue  # as if no answer came: repeat with the same key
                try:
                    r = c.post("/api/v1/producers", json=body, headers={"Idempotency-Key": key})
                except httpx.TimeoutException:
                    tally.note("timeout", time.monotonic() - started, failed=True)
                except httpx.TransportError as exc:
                    tally.note(f"connection error ({type(exc).__name__})", time.monotonic() - started, failed=True)
                else:
                    elapsed = time.monotonic() - started
                    if r.is_success:
                        tally.note(f"{r.status_code}", elapsed, success=True)
                        with tally.lock:
                            tally.acked[marker] = int(r.json()["id"])
                            tally.replayed += r.headers.get("idempotent-replayed") == "true"
                            tally.retried += attempt > 1
                        break
                    problem = r.headers.get("content-type", "").startswith("application/problem+json")
                    code = r.json().get("code") if problem else None
                    tally.note(f"{r.status_code} {code or r.headers.get('content-type')}", elapsed,
                               failed=r.status_code >= 500)
                    if not problem or (r.status_code == 503 and not r.headers.get("retry-after")):
                        with tally.lock:
                            tally.not_problem.append(f"{r.status_code} {r.headers} {r.text[:200]}")
                    if r.status_code == 409 and code == "idempotency_answer_lost":
                        with tally.lock:  # carried out, but its answer is gone: nothing to repeat
                            tally.lost.add(marker)
                        break
                    if not (r.status_code >= 500 or (r.status_code == 409 and code == "idempotency_in_progress")):
                        with tally.lock:
                            tally.unexpected.append(f"{r.status_code} {r.text[:300]}")
                        break
                if time.monotonic() > deadline:
                    with tally.lock:
                        tally.unfinished.add(marker)
                    break
                time.sleep(0.1)


# ---- the test ---------------------------------------------------------------------------------------------------

def _sign_in(base: str, username: str) -> dict[str, str]:
    r = httpx.post(f"{base}/api/v1/auth/token", data={"grant_type": "password", "username": username,
                                                       "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@dataclass
class Outage:
    mode: str
    down: float   # when the stop began
    up: float     # when the database accepted connections again
    until: float = 0.0  # the next outage's start, or the end of the load


def _outage(cluster: Cluster, mode: str) -> None:
    """Stop the database (`fast` or `immediate`), keep it down a moment, start it again."""
    cluster.stop(mode)
    time.sleep(DOWN_SECONDS)
    cluster.start()


@on_postgresql
def test_the_api_survives_database_restarts_under_writes(cluster: Cluster, tmp_path: Path) -> None:
    started = time.monotonic()
    migrate_and_seed(cluster.url)
    engine = sa.create_engine(cluster.url)
    with engine.connect() as conn:
        unit_id = conn.scalar(sa.text("SELECT admin_unit_id FROM producer WHERE admin_unit_id IS NOT NULL "
                                      "ORDER BY id LIMIT 1"))
    engine.dispose()
    assert unit_id is not None
    log = tmp_path / "server.log"
    with live_server(cluster.url, tmp_path, workers=2, log=log) as server:
        auth = _sign_in(server.base, "coordinator")
        workers_before = server.workers()
        run, stop, tally = uuid.uuid4().hex[:8], threading.Event(), Tally()
        threads = [threading.Thread(target=_writer, args=(n, server.base, auth, unit_id, run, stop, tally),
                                    name=f"writer-{n}") for n in range(WRITERS)]
        for t in threads:
            t.start()
        outages: list[Outage] = []
        try:
            for mode in ("fast", "immediate"):
                time.sleep(STEADY_SECONDS)
                down = time.monotonic()
                _outage(cluster, mode)
                if outages:
                    outages[-1].until = down
                outages.append(Outage(mode, down, time.monotonic()))
            time.sleep(STEADY_SECONDS)
        finally:
            stop.set()
            if outages:
                outages[-1].until = time.monotonic()
            for t in threads:
                t.join(RETRY_BUDGET + REQUEST_TIMEOUT + 5)
        assert not any(t.is_alive() for t in threads), "a writer hangs"
        recovered = _check_recovery(server, auth, unit_id, workers_before)
        errors = _server_errors(log)
        late = sum("idempotency answer not stored yet" in line for line in log.read_text(errors="replace").splitlines())

    _summary(tally, outages, recovered, errors, late, time.monotonic() - started)
    _check_database(cluster.url, run, tally)

    # the outages were seen, and what was answered during them was clean
    for o in outages:
        assert any(o.down <= at <= o.up for at, _ in tally.failures), f"no request failed during the {o.mode} outage"
    assert not tally.unexpected, tally.unexpected
    assert not tally.unfinished, f"{len(tally.unfinished)} writes were never answered"
    assert not tally.not_problem, tally.not_problem
    assert tally.slowest < REQUEST_TIMEOUT  # nothing hung: no timeouts
    assert {what for _, what in tally.failures} == {"503 database_unavailable"}, tally.outcomes  # nor 500s, nor drops
    assert tally.replayed, "no repeat got a stored first answer"
    assert not errors, errors[:5]


def _check_recovery(server: LiveServer, auth: dict[str, str], unit_id: int, workers_before: list[int]) -> float:
    """The same server processes answer again without being restarted: seconds until /readyz said so."""
    began = time.monotonic()
    while httpx.get(f"{server.base}/readyz", timeout=REQUEST_TIMEOUT).status_code != 200:
        assert time.monotonic() - began < 15, "the API did not become ready again"
        time.sleep(0.1)
    waited = time.monotonic() - began
    with httpx.Client(base_url=server.base, headers=auth, timeout=REQUEST_TIMEOUT) as c:
        for _ in range(8):  # several requests, so that both workers and several pooled connections answer
            assert c.get("/api/v1/producers", params={"limit": 5}).status_code == 200
            r = c.post("/api/v1/producers", json={"kind": "enterprise", "name": "Sau sự cố", "admin_unit_id": unit_id})
            assert r.status_code == 201, r.text
    assert server.process.poll() is None
    assert server.workers() == workers_before, "uvicorn's workers were replaced"  # (empty without /proc)
    return waited


def _server_errors(log: Path) -> list[str]:
    """Log lines of errors nobody handled (a traceback logged as an unexpected error)."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return [line[:300] for line in lines if "unhandled error" in line or "Exception in ASGI application" in line]


def _check_database(url: str, run: str, tally: Tally) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT name, id FROM producer WHERE name LIKE :p"), {"p": f"fault-{run}-%"}).all()
        records: dict[str, int | None] = dict(conn.execute(sa.text("SELECT key, status FROM idempotency_record WHERE key = ANY(:k)"),
                                    {"k": list(tally.keys)}).all())
    engine.dispose()
    per_marker = Counter(name for name, _ in rows)
    ids = {name: id_ for name, id_ in rows}
    duplicated = {m: n for m, n in per_marker.items() if n > 1}
    assert not duplicated, f"retries created duplicates: {duplicated}"
    missing = [m for m, id_ in tally.acked.items() if ids.get(m) != id_]
    assert not missing, f"acknowledged writes missing after the restarts: {missing}"
    assert all(per_marker[m] == 1 for m in tally.lost), "a write answered as done is missing"
    # every key ends with exactly one row (each was answered), and its stored answer is final: the first answer,
    # or "carried out, answer lost" when the database went away between the commit and the answer
    assert sorted(per_marker) == sorted(tally.keys.values())
    stored = Counter(records.values())
    assert len(records) == len(tally.keys) and (stored[201], stored[409]) == (len(tally.acked), len(tally.lost)), \
        stored


def _summary(tally: Tally, outages: list[Outage], recovered: float, errors: list[str], late: int,
             seconds: float) -> None:
    attempts = sum(tally.outcomes.values())
    print(f"\nPostgreSQL restarted under load: {len(tally.keys)} writes ({attempts} requests) by {WRITERS} writers, "
          f"{len(tally.acked)} acknowledged ({tally.replayed} as replayed first answers), {len(tally.lost)} done "
          f"with the answer lost, {tally.retried} retried, {tally.abandoned} first attempts abandoned; {late} "
          "answers stored late by the server (after the database came back)")
    for o in outages:
        during = Counter(what for at, what in tally.failures if o.down <= at <= o.up)
        after = [at for at, _ in tally.failures if o.up < at <= o.until]
        first_ok = min((at for at in tally.successes if o.up < at <= o.until), default=None)
        print(f"  outage -m {o.mode}: database away {o.up - o.down:.1f} s; failed meanwhile: "
              + (", ".join(f"{k}: {v}" for k, v in during.items()) or "none")
              + f"; after it was back: {len(after)} failed"
              + (f" (the last {max(after) - o.up:.2f} s later)" if after else "")
              + (f", first write acknowledged {first_ok - o.up:.2f} s later" if first_ok else ", none acknowledged"))
    print("  outcomes: " + ", ".join(f"{k}: {v}" for k, v in tally.outcomes.most_common()))
    print(f"  slowest answer {tally.slowest:.2f} s; /readyz 200 again {recovered:.1f} s after the load; "
          f"{len(errors)} unhandled errors logged; {seconds:.1f} s in all")


# ---- the same guarantees, one failure at a time (both engines) --------------------------------------------------

def _lost_connection() -> sa.exc.OperationalError:
    return sa.exc.OperationalError("SELECT", {}, Exception("server closed the connection unexpectedly"))


def _producer(session: Any, name: str) -> dict[str, Any]:
    from ocop.registry.models import Producer

    unit = session.scalar(sa.select(col(Producer.admin_unit_id)).where(col(Producer.admin_unit_id).is_not(None)).limit(1))
    return {"kind": "cooperative", "name": name, "admin_unit_id": unit}


def _rows(session: Any, name: str) -> int:
    from ocop.registry.models import Producer

    return int(session.scalar(sa.select(sa.func.count()).select_from(Producer).where(col(Producer.name) == name)) or 0)


def test_a_write_committed_before_its_answer_failed_is_not_run_again(client, session, as_user, monkeypatch):  # type: ignore[no-untyped-def]
    """The database goes away between the commit and the answer (the producer is read back after its commit):
    the caller gets a 503, yet the producer exists; a repeat must not register it twice."""
    from ocop.registry import service

    def gone(*_: Any) -> Any:
        raise _lost_connection()

    body, h = _producer(session, "HTX mất câu trả lời"), {**as_user("coordinator"), "Idempotency-Key": "lost-1"}
    monkeypatch.setattr(service, "get_producer", gone)
    first = client.post("/api/v1/producers", json=body, headers=h)
    assert first.status_code == 503 and first.json()["code"] == "database_unavailable"
    assert first.headers["content-type"].startswith("application/problem+json") and first.headers["retry-after"]
    monkeypatch.undo()
    again = client.post("/api/v1/producers", json=body, headers=h)
    assert again.status_code == 409 and again.json()["code"] == "idempotency_answer_lost", again.text
    assert _rows(session, body["name"]) == 1
    # a failure before anything was written is forgotten: the repeat runs and registers it once
    monkeypatch.setattr(service, "_check_unit_for", gone)
    body2, h2 = _producer(session, "HTX thử lại"), {**as_user("coordinator"), "Idempotency-Key": "lost-2"}
    assert client.post("/api/v1/producers", json=body2, headers=h2).status_code == 503
    monkeypatch.undo()
    assert client.post("/api/v1/producers", json=body2, headers=h2).status_code == 201
    assert _rows(session, body2["name"]) == 1


def test_an_answer_the_database_could_not_store_is_stored_later(client, session, as_user, monkeypatch):  # type: ignore[no-untyped-def]
    """The write commits and its answer goes out, but storing the answer fails (the database went away just
    then): a repeat waits (409 in progress) and then gets that first answer, not a second producer."""
    from ocop.core import idempotency

    settle, calls = idempotency._settle, []

    def flaky(*args: Any) -> None:
        calls.append(args)
        if len(calls) == 1:
            raise _lost_connection()
        settle(*args)

    monkeypatch.setattr(idempotency, "_settle", flaky)
    body, h = _producer(session, "HTX lưu muộn"), {**as_user("coordinator"), "Idempotency-Key": "late-1"}
    first = client.post("/api/v1/producers", json=body, headers=h)
    assert first.status_code == 201
    deadline = time.monotonic() + 10  # the record is settled by a thread of its own, soon after
    while any(t.name == "ocop-idempotency-settle" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the answer was never stored"
        time.sleep(0.05)
    again = client.post("/api/v1/producers", json=body, headers=h)
    assert again.status_code == 201 and again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert len(calls) == 2 and _rows(session, body["name"]) == 1
