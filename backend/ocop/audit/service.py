"""The audit trail. Every service calls `record` inside its own transaction, before commit."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from ocop.core import bulk
from ocop.core.caller import Caller
from ocop.core.db import row_dict, utcnow
from ocop.core.logging import request_id_var
from ocop.core.pagination import PageParams, keyset_page

from . import policies
from .models import AuditEvent
from .schemas import AuditEventPage, AuditEventRead

# Secrets never enter the trail, whoever writes the event and however (a snapshot, a hand-made dict, a bulk
# import): these keys are dropped at every depth when an event is written, and again when events are read (for
# events written before a name was added here). A column may also declare itself secret with
# `info={"secret": True}`. Not secret: when a password or secret changed (`password_changed_at`, …).
REDACTED_FIELDS = frozenset({
    "password", "new_password", "current_password", "password_hash",
    "secret", "client_secret", "secret_hash", "previous_secret_hash", "secret_encrypted",
    "token", "token_hash", "access_token", "refresh_token", "id_token",
})
REDACTED_SUFFIXES = ("_password", "_hash", "_encrypted", "_secret", "_token", "_ciphertext")
NOT_SECRET = frozenset({"request_hash", "sha256"})  # digests of public content, kept


def is_secret(key: str) -> bool:
    k = key.lower()
    return k not in NOT_SECRET and (k in REDACTED_FIELDS or k.endswith(REDACTED_SUFFIXES))


def _plain(value: Any) -> Any:
    """JSON-safe values, secret keys dropped at every depth."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not (isinstance(k, str) and is_secret(k))}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The columns of a table object, as JSON-safe values, secrets left out."""
    data = {c.key: getattr(obj, c.key) for c in sa.inspect(obj).mapper.column_attrs
            if not any(getattr(column, "info", {}).get("secret") for column in c.columns)}
    if extra:
        data.update(extra)
    return _plain(data)  # type: ignore[no-any-return]


def record(
    session: Session,
    actor: Caller | None,
    action: str,
    entity_type: str,
    entity_id: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_type=actor.kind if actor else "system",
        actor_id=actor.id if actor else None,
        actor_name=actor.name if actor else "system",
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        request_id=request_id_var.get(),
    )
    session.add(event)
    return event


def record_many(session: Session, actor: Caller | None, action: str, entity_type: str,
                items: list[tuple[Any, dict[str, Any]]]) -> None:
    """One event per created entity, inserted in bulk (imports): (entity id, after) pairs."""
    if not items:
        return
    now, rid = utcnow(), request_id_var.get()
    bulk.insert_rows(session, AuditEvent, [{
        "occurred_at": now, "actor_type": actor.kind if actor else "system", "actor_id": actor.id if actor else None,
        "actor_name": actor.name if actor else "system", "action": action, "entity_type": entity_type,
        "entity_id": str(entity_id), "before": None, "after": _plain(after), "request_id": rid,
    } for entity_id, after in items], returning_ids=False)


def list_events(
    session: Session,
    caller: Caller,
    page: PageParams,
    *,
    entity_type: str | None = None,
    entity_id: str | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AuditEventPage:
    policies.require_read(caller)
    stmt = sa.select(AuditEvent)
    if entity_type:
        stmt = stmt.where(AuditEvent.entity_type == entity_type)  # type: ignore[arg-type]
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)  # type: ignore[arg-type]
    if actor_id is not None:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)  # type: ignore[arg-type]
    if action:
        stmt = stmt.where(AuditEvent.action == action)  # type: ignore[arg-type]
    if since:
        stmt = stmt.where(AuditEvent.occurred_at >= since)  # type: ignore[arg-type,operator]
    if until:
        stmt = stmt.where(AuditEvent.occurred_at < until)  # type: ignore[arg-type,operator]
    rows, cursor = keyset_page(session, stmt, [AuditEvent.id], page, descending=True,  # type: ignore[list-item]
                               key=lambda r: [r[0].id])
    return AuditEventPage(items=[AuditEventRead.model_validate(
        {**row_dict(r[0]), "before": _plain(r[0].before) if r[0].before is not None else None,
         "after": _plain(r[0].after) if r[0].after is not None else None}) for r in rows], next_cursor=cursor)
