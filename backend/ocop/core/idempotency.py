"""`Idempotency-Key` on POST: a repeat with the same key and body gets the first response; the same key with
another body is 422; a repeat while the first is still running is 409.

Plain ASGI middleware. Keys belong to the caller named by a valid bearer token (the signature is checked
here; the route still authenticates as usual), so one caller can never read another's stored response.
JSON and form bodies up to 1 MB take part; uploads pass through untouched. Server errors are not stored, so a
retry after a 5xx runs again. Records are kept for a day.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .db import new_session, pk_column, ts_column, utcnow
from .security import decode_access_token

MAX_BODY = 1024 * 1024
KEEP = timedelta(hours=24)
REPLAYED_HEADERS = {b"content-type", b"location", b"etag"}


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (sa.UniqueConstraint("subject", "key"),)

    id: int | None = Field(default=None, sa_column=pk_column())
    subject: str = Field(sa_column=sa.Column(sa.String(80), nullable=False))
    key: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    request_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    status: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    headers: list[list[str]] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    body: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary, nullable=True))
    created_at: datetime = Field(sa_column=ts_column(index=True))


def _problem(status: int, code: str, detail: str, path: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = json.dumps({"type": f"/problems/{code}", "title": {409: "Conflict", 422: "Unprocessable Content"}[status],
                       "status": status, "detail": detail, "instance": path, "code": code}).encode()
    return status, [(b"content-type", b"application/problem+json")], body


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
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        length = int(headers.get(b"content-length", b"0") or 0) if headers.get(b"content-length", b"0").isdigit() \
            else MAX_BODY + 1
        if not key or kind not in (b"application/json", b"application/x-www-form-urlencoded") or length > MAX_BODY:
            await self.app(scope, receive, send)
            return
        subject = _subject(headers)
        if subject is None or len(key) > 200:
            await self.app(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        digest = hashlib.sha256(scope["method"].encode() + b" " + scope["path"].encode() + b"\n" + body).hexdigest()
        answer = self._begin(subject, key, digest, scope["path"])
        if answer is not None:
            status, hdrs, payload = answer
            await send({"type": "http.response.start", "status": status,
                        "headers": [*hdrs, (b"idempotent-replayed", b"true"),
                                    (b"content-length", str(len(payload)).encode())]})
            await send({"type": "http.response.body", "body": payload})
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

        try:
            await self.app(scope, replay_receive, capture)
        finally:
            self._finish(subject, key, captured)

    @staticmethod
    def _begin(subject: str, key: str, digest: str, path: str) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        with new_session() as session:
            record = session.scalars(sa.select(IdempotencyRecord).where(
                IdempotencyRecord.subject == subject, IdempotencyRecord.key == key)).first()  # type: ignore[arg-type]
            if record is None:
                try:
                    session.add(IdempotencyRecord(subject=subject, key=key, request_hash=digest, created_at=utcnow()))
                    session.commit()
                    return None
                except sa.exc.IntegrityError:
                    session.rollback()
                    return _problem(409, "idempotency_in_progress",
                                    "A request with this Idempotency-Key is being processed; retry shortly.", path)
            if record.request_hash != digest:
                return _problem(422, "idempotency_key_reused",
                                "This Idempotency-Key was used with another request body or address.", path)
            if record.status is None:
                return _problem(409, "idempotency_in_progress",
                                "A request with this Idempotency-Key is being processed; retry shortly.", path)
            return record.status, [(k.encode(), v.encode()) for k, v in record.headers or []], record.body or b""

    @staticmethod
    def _finish(subject: str, key: str, captured: dict[str, Any]) -> None:
        with new_session() as session:
            record = session.scalars(sa.select(IdempotencyRecord).where(
                IdempotencyRecord.subject == subject, IdempotencyRecord.key == key)).first()  # type: ignore[arg-type]
            if record is None:
                return
            if captured["status"] >= 500:
                session.delete(record)  # a server error is not an answer: a retry runs again
            else:
                record.status = captured["status"]
                record.headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in captured["headers"]]
                record.body = captured["body"]
            session.commit()
