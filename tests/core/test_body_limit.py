"""One size limit for every request body, enforced while reading: a 100 MB chunked body used to be read whole (25 s,
and /healthz slowed meanwhile)."""
from __future__ import annotations

import asyncio
import json
import select
import socket
import threading
from urllib.parse import urlsplit

import httpx

from ocop.core.middleware import MIB, BodyLimitMiddleware, request_limit
from tests.campaigns.helpers import API
from tests.servers import live_server


def test_the_limit_covers_the_largest_upload(settings, monkeypatch):
    assert request_limit() >= 21 * MIB  # evidence 20 MB in a multipart envelope
    assert request_limit() > settings.eoffice_package_max_bytes  # an e-office package, its attachments in base64
    monkeypatch.setattr(settings, "upload_max_bytes", 100 * MIB)
    assert request_limit() == 101 * MIB
    monkeypatch.setattr(settings, "request_max_bytes", 5000)
    assert request_limit() == 5000


def test_a_declared_length_over_the_limit_is_refused_before_anything_runs(client, as_user, settings, monkeypatch):
    monkeypatch.setattr(settings, "request_max_bytes", 4096)
    co = as_user("coordinator")
    r = client.post(f"{API}/producers", json={"kind": "cooperative", "name": "x" * 5000, "admin_unit_id": 1},
                    headers=co)
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "body_too_large" and r.json()["max_bytes"] == 4096
    assert r.headers["x-request-id"]  # answered inside the request context, like every answer
    small = client.post(f"{API}/producers", json={"kind": "cooperative", "name": "x"}, headers=co)
    assert small.status_code == 422  # under the limit the route answers as usual (no admin_unit_id)


def test_a_body_without_a_length_is_cut_off_at_the_limit():
    """The counted body stops being read past the limit, whatever the application was doing with it, and the
    application's own answer (a parse error, say) gives way to the 413."""
    reads = 0

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        try:
            while (await receive()).get("more_body"):
                pass
        except Exception:  # as a framework turns a failed read into its own error answer
            await send({"type": "http.response.start", "status": 400, "headers": []})
            await send({"type": "http.response.body", "body": b"There was an error parsing the body"})
            return
        raise AssertionError("the whole endless body was read")

    async def receive():  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}  # never ends

    sent: list[dict] = []

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/v1/findings", "headers": []}
    asyncio.run(BodyLimitMiddleware(app, max_bytes=10_000)(scope, receive, send))
    assert reads == 11  # 11 000 bytes: one read past the limit, no more
    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [413]
    assert json.loads(sent[-1]["body"])["code"] == "body_too_large"


def _connect(base: str) -> socket.socket:
    url = urlsplit(base)
    return socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=30)


def _read_response(sock: socket.socket, already: bytes = b"") -> bytes:
    data = already
    sock.settimeout(10)
    try:
        while True:
            head, sep, rest = data.partition(b"\r\n\r\n")
            if sep:
                length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                if len(rest) >= length:
                    return data
            more = sock.recv(65536)
            if not more:
                return data
            data += more
    except (ConnectionResetError, TimeoutError):
        return data


def test_a_huge_chunked_body_is_cut_off_quickly_and_the_server_keeps_answering(private_database, tmp_path):
    total = 64 * MIB  # the limit is about 30 MB (an e-office package of 20 MB of attachments in base64)
    with live_server(private_database, tmp_path, workers=1) as server:
        # a Content-Length over the limit: refused at once, without waiting for a single byte of the body
        sock = _connect(server.base)
        sock.sendall(f"POST {API}/producers HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {100 * MIB}\r\n\r\n".encode())
        answer = _read_response(sock)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
        assert json.loads(answer.partition(b"\r\n\r\n")[2])["code"] == "body_too_large"

        # 30 MB chunked: cut off at the limit while it streams, with /healthz answering meanwhile
        health: list[int | str] = []
        done, first = threading.Event(), threading.Event()

        def poll() -> None:
            with httpx.Client(base_url=server.base, timeout=20) as c:
                while not done.is_set():
                    try:
                        health.append(c.get("/healthz").status_code)
                    except httpx.HTTPError as exc:  # recorded, so a wedged server fails the test with its reason
                        health.append(type(exc).__name__)
                    first.set()

        poller = threading.Thread(target=poll)
        sock = _connect(server.base)
        sock.sendall(f"POST {API}/producers HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode())
        piece = b"x" * 65536
        frame = b"%x\r\n" % len(piece) + piece + b"\r\n"
        sent, answer = 0, b""
        poller.start()
        assert first.wait(30), "the server did not answer /healthz before the stream began"
        try:
            while sent < total:
                readable, writable, _ = select.select([sock], [sock], [], 10)
                if readable:
                    answer = sock.recv(65536)
                    break
                if not writable:
                    break
                try:
                    sock.sendall(frame)
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent += len(piece)
            answer = _read_response(sock, answer)
        finally:
            done.set()
            poller.join(30)
            sock.close()
        assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
        assert json.loads(answer.partition(b"\r\n\r\n")[2])["code"] == "body_too_large"
        assert sent < total  # the answer came while the body was still streaming, not after reading it all
        assert health and set(health) == {200}, health
        assert httpx.get(f"{server.base}/healthz", timeout=10).status_code == 200
