"""`Idempotency-Key` on POST: a repeat with the same key and body gets the first response; the same key with
another body is 422; a repeat while the first is still running is 409.

Plain ASGI middleware. Keys belong to the caller named by a valid bearer token (the signature is checked
here; the route still authenticates as usual), so one caller can never read another's stored response.
JSON bodies (application/json, application/*+json, whatever their parameters) and form bodies take part, up to 1 MB
(413 `idempotency_body_too_large` beyond, rather than running without the protection the caller asked for);
uploads (multipart) pass through untouched. The fingerprint covers the method, path, query string and body. A key
is 1 to 200 visible ASCII characters (400 `idempotency_key_invalid` otherwise, never ignored). A server error that
changed nothing is not stored, so a retry after it runs again. Records are kept for a day.

Database failures (PostgreSQL restarting, say): the key is claimed in a transaction of its own before the request
runs, and the answer stored in another one afterwards; in between, the request's own transaction marks the claim
`committed` in the same commit as its writes, so the record always tells whether the work was done and a repeat
never runs committed work again:
- database unreachable before the request runs: 503 with Retry-After, nothing claimed (a claim whose commit was
  in doubt is taken back later);
- the answer could not be stored (the database went away after the commit): storing it is retried in the
  background; meanwhile a repeat gets 409 `idempotency_in_progress`, then the first answer;
- the worker died before its transaction committed (nothing done, nothing stored): after ABANDONED_AFTER a
  repeat takes the claim over and runs the request;
- the request committed but answered with a server error (the database went away between its commit and its
  answer): the stored answer is 409 `idempotency_answer_lost` (done; look the result up).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .db import new_session, pk_column, ts_column, utcnow
from .errors import PROBLEM, database_unavailable, error_summary, problem_body, unavailable_response
from .security import decode_access_token

log = logging.getLogger("ocop.idempotency")

MAX_BODY = 1024 * 1024
MAX_KEY = 200  # the column's size
KEY_OK = re.compile(rf"^[\x21-\x7e](?:[\x20-\x7e]{{0,{MAX_KEY - 2}}}[\x21-\x7e])?$")
KEEP = timedelta(hours=24)
REPLAYED_HEADERS = {b"content-type", b"location", b"etag"}
SETTLE_FOR = 300.0  # seconds to keep trying to store an answer while the database is away
# a claim still open after this long was left by a worker that died before its transaction committed (no request
# runs for minutes: long work goes to jobs): a repeat takes the claim over and runs the request
ABANDONED_AFTER = timedelta(minutes=10)


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (sa.UniqueConstraint("subject", "key"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    subject: str = Field(sa_column=sa.Column(sa.String(80), nullable=False))
    key: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    request_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    status: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))  # of the stored answer
    # set in the commit of the request's own transaction: its work is done, whether or not its answer is stored
    # yet; a claim neither committed nor answered is a request still running, or one whose worker died
    committed: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))
    headers: list[list[str]] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    body: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))
    created_at: datetime = Field(sa_column=ts_column(index=True))


Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def _problem(status: int, code: str, detail: str, path: str) -> Answer:
    return status, [(b"content-type", PROBLEM.encode())], json.dumps(problem_body(status, code, detail, path)).encode()


def _too_large(path: str) -> Answer:
    return _problem(413, "idempotency_body_too_large", f"A request with an Idempotency-Key may carry at most "
                    f"{MAX_BODY // 1024} KB; send it without the key, or in smaller parts.", path)


async def _answer(send: Send, answer: Answer, *, replayed: bool = False) -> None:
    status, hdrs, payload = answer
    extra = [(b"idempotent-replayed", b"true")] if replayed else []
    await send({"type": "http.response.start", "status": status,
                "headers": [*hdrs, *extra, (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def _takes_part(content_type: bytes) -> bool:
    """JSON (application/json, application/*+json, whatever the parameters) and form bodies take part; uploads
    (multipart) and other bodies pass through untouched."""
    kind = content_type.split(b";")[0].strip().lower()
    return kind in (b"application/json", b"application/x-www-form-urlencoded") or (
        kind.startswith(b"application/") and kind.endswith(b"+json"))


def _answer_lost(path: str) -> Answer:
    return _problem(409, "idempotency_answer_lost", "The request with this Idempotency-Key was carried out, but "
                    "its answer was lost to a database failure; look the result up instead of repeating it.", path)


# ---- the request's own transaction marks the record as committed ------------------------------------------------

_current: ContextVar[tuple[str, str, datetime] | None] = ContextVar("ocop_idempotency", default=None)
_WROTE = "ocop_idempotency_wrote"


@event.listens_for(OrmSession, "after_flush")
def _flushed(session: OrmSession, _context: Any) -> None:
    if _current.get() is not None:
        session.info[_WROTE] = True


@event.listens_for(OrmSession, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if _current.get() is not None and (state.is_insert or state.is_update or state.is_delete):
        state.session.info[_WROTE] = True


@event.listens_for(OrmSession, "before_commit")
def _mark_committed(session: OrmSession) -> None:
    """A transaction that writes on behalf of a request with an Idempotency-Key marks its record in the same
    commit: the record then says truly whether the work was done, whatever happens to the answer."""
    claim = _current.get()
    if claim is None or not (session.info.pop(_WROTE, False) or session.new or session.dirty or session.deleted):
        return
    subject, key, stamp = claim
    t = IdempotencyRecord.__table__  # type: ignore[attr-defined]
    session.connection().execute(t.update().where(t.c.subject == subject, t.c.key == key, t.c.created_at == stamp,
                                                  t.c.status.is_(None), t.c.committed.is_(False)).values(committed=True))


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _ended(session: OrmSession) -> None:
    session.info.pop(_WROTE, None)


def _subject(headers: dict[bytes, bytes]) -> str | None:
    auth = headers.get(b"authorization", b"").decode("latin-1")
    if not auth.lower().startswith("bearer "):
        return None
    try:
        return str(decode_access_token(auth[7:].strip()).get("sub") or "") or None
    except Exception:  # an invalid token: the route answers 401 itself
        return None


def purge(session: Any) -> int:
    """Forget records older than a day (the daily job)."""
    result = session.execute(sa.delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEEP))  # type: ignore[arg-type,operator]
    return int(result.rowcount or 0)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        key = headers.get(b"idempotency-key", b"").decode("latin-1").strip()
        if not key or not _takes_part(headers.get(b"content-type", b"")):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if not KEY_OK.match(key):
            await _answer(send, _problem(400, "idempotency_key_invalid", f"An Idempotency-Key is 1 to {MAX_KEY} "
                                         "visible ASCII characters.", path))
            return
        subject = _subject(headers)
        if subject is None:  # no valid token: the route answers 401 itself
            await self.app(scope, receive, send)
            return
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > MAX_BODY:
            await _answer(send, _too_large(path))
            return
        chunks: list[bytes] = []  # joined once: linear in the size of the body, however it is cut up
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await _answer(send, _too_large(path))
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        digest = hashlib.sha256(scope["method"].encode() + b" " + path.encode() + b"?"
                                + (scope.get("query_string") or b"") + b"\n" + body).hexdigest()
        stamp = utcnow()
        try:
            answer = await run_in_threadpool(self._begin, subject, key, digest, path, stamp)
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            await unavailable_response(path, exc)(scope, receive, send)
            return
        if answer is not None:
            await _answer(send, answer, replayed=True)
            return
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": b""}
        sent_body = False

        async def replay_receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [(k, v) for k, v in message.get("headers", []) if k.lower() in REPLAYED_HEADERS]
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        claim = _current.set((subject, key, stamp))
        try:
            await self.app(scope, replay_receive, capture)
        finally:
            _current.reset(claim)
            try:
                await run_in_threadpool(_settle, subject, key, stamp, captured, path)
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                log.warning("idempotency answer not stored yet; retrying in the background",
                            extra={"path": path, "error": error_summary(exc)})
                _settle_later(subject, key, stamp, captured, path)

    @staticmethod
    def _begin(subject: str, key: str, digest: str, path: str, stamp: datetime) -> Answer | None:
        with new_session() as session:
            record = session.scalars(sa.select(IdempotencyRecord).where(
                IdempotencyRecord.subject == subject, IdempotencyRecord.key == key)).first()  # type: ignore[arg-type]
            if record is None:
                try:
                    session.add(IdempotencyRecord(subject=subject, key=key, request_hash=digest, created_at=stamp))
                    session.commit()
                    return None
                except sa.exc.IntegrityError:
                    session.rollback()
                    return _problem(409, "idempotency_in_progress",
                                    "A request with this Idempotency-Key is being processed; retry shortly.", path)
                except Exception as exc:
                    if database_unavailable(exc):  # the claim may have been committed all the same: take it back
                        _settle_later(subject, key, stamp, {"status": 503, "headers": [], "body": b""}, path)
                    raise
            if record.request_hash != digest:
                return _problem(422, "idempotency_key_reused",
                                "This Idempotency-Key was used with another request body or address.", path)
            if record.status is None and not record.committed and _take_over(session, record.id or 0, stamp):
                return None
            if record.status is None:
                return _problem(409, "idempotency_in_progress",
                                "A request with this Idempotency-Key is being processed; retry shortly.", path)
            return record.status, [(k.encode(), v.encode()) for k, v in record.headers or []], record.body or b""


def _take_over(session: Any, record_id: int, stamp: datetime) -> bool:
    """Claim an abandoned record for the request starting at `stamp` (only if it is still open and old enough:
    of two repeats racing for it, one wins)."""
    t = IdempotencyRecord.__table__  # type: ignore[attr-defined]
    taken = session.execute(t.update().where(t.c.id == record_id, t.c.status.is_(None), t.c.committed.is_(False),
                                             t.c.created_at < stamp - ABANDONED_AFTER).values(created_at=stamp))
    session.commit()
    return bool(taken.rowcount == 1)


def _settle(subject: str, key: str, stamp: datetime, captured: dict[str, Any], path: str) -> None:
    """Store the answer of the request that claimed the key at `stamp`; forget the claim after a server error,
    unless the request committed its work (then a repeat must not run it again: its answer is lost)."""
    with new_session() as session:
        record = session.scalars(sa.select(IdempotencyRecord).where(
            IdempotencyRecord.subject == subject, IdempotencyRecord.key == key,  # type: ignore[arg-type]
            IdempotencyRecord.created_at == stamp)).first()  # type: ignore[arg-type]
        if record is None or record.status is not None:
            return
        status, headers, body = captured["status"], captured["headers"], captured["body"]
        if status >= 500 and not record.committed:
            session.delete(record)  # a server error that changed nothing is not an answer: a retry runs again
            session.commit()
            return
        if status >= 500:
            status, headers, body = _answer_lost(path)
        record.status = status
        record.headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in headers]
        record.body = body
        session.commit()


def _settle_later(subject: str, key: str, stamp: datetime, captured: dict[str, Any], path: str) -> None:
    """`_settle` in a thread of its own, again and again until the database answers (a repeat of the request
    gets 409 idempotency_in_progress meanwhile)."""

    def run() -> None:
        deadline, pause = time.monotonic() + SETTLE_FOR, 0.1
        while True:
            try:
                _settle(subject, key, stamp, captured, path)
                return
            except Exception as exc:
                if not database_unavailable(exc) or time.monotonic() > deadline:
                    log.error("idempotency record left unsettled", extra={"path": path, "error": error_summary(exc)})
                    return
            time.sleep(pause)
            pause = min(pause * 2, 1.0)

    threading.Thread(target=run, name="ocop-idempotency-settle", daemon=True).start()
