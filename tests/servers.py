"""Real servers for tests that need more than TestClient: `ocop serve` (uvicorn, several workers) over a database
of the test's own, as tests/inspections/test_concurrency.py starts it."""
from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    base: str
    process: subprocess.Popen[bytes]
    log: Path | None

    def workers(self) -> list[int]:
        """The process ids of uvicorn's worker processes (children of the supervisor), where /proc tells."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return sorted(int(p) for p in children.read_text().split())
        except OSError:
            return []


@contextmanager
def live_server(database_url: str, tmp_path: Path, *, workers: int = 2, log: Path | None = None,
                env: dict[str, str] | None = None, ready_timeout: float = 30.0) -> Iterator[LiveServer]:
    """`ocop serve` on a free port of 127.0.0.1 over `database_url`, ready (/readyz 200) when it is yielded and
    stopped afterwards. Its output goes to `log` when given (JSON lines), else nowhere."""
    environ = {**os.environ, "DATABASE_URL": database_url, "OCOP_STORAGE_DIR": str(tmp_path / "files"),
               "OCOP_LOG_LEVEL": "WARNING", "OCOP_AUTH_RATE_LIMIT": "100000", "OCOP_IP_MAX_FAILURES": "100000",
               **(env or {})}
    port = free_port()
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "ocop"), "serve", "--host", "127.0.0.1", "--port",
                               str(port), "--workers", str(workers)], env=environ, cwd=ROOT, stdout=out,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not become ready (exit code {server.poll()})")
            time.sleep(0.2)
        yield LiveServer(base, server, log)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        if log is not None and out is not subprocess.DEVNULL:
            out.close()  # type: ignore[union-attr]
