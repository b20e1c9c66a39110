"""Fixtures shared by the integration tests: an e-office client, a real local webhook receiver."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from ocop.org.models import Agency


class Receiver:
    """A real HTTP endpoint on 127.0.0.1 that answers the given status codes in turn, then 200."""

    def __init__(self, codes: list[int]) -> None:
        self.codes: list[int] = list(codes)
        self.received: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers["content-length"]))
                outer.received.append((dict(self.headers), body))
                code = outer.codes.pop(0) if outer.codes else 200
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/ocop"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver(settings, monkeypatch) -> Iterator[Callable[[list[int]], Receiver]]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(settings, "webhook_allowed_targets", "127.0.0.1")
    made: list[Receiver] = []

    def make(codes: list[int]) -> Receiver:
        made.append(Receiver(codes))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def eoffice(session, as_client, settings):  # type: ignore[no-untyped-def]
    """An e-office client (eoffice:write + campaigns:read) and our agency's e-office code on the department."""
    session.execute(sa.update(Agency).where(Agency.code == "SNNMT").values(eoffice_code=settings.eoffice_agency_code))
    session.execute(sa.update(Agency).where(Agency.code == "UBND-T").values(eoffice_code="000.00.00.H36"))
    session.commit()
    return as_client("eoffice:write", "campaigns:read")
