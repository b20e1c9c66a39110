"""Marks what a transaction changed, so that a higher layer can react before it commits.

A lower domain calls `mark(session, "product", ids)` when it changes something another domain derives
from (a certificate changes a product's compliance); the deriving domain registers a handler with
`on_commit(kind, handler)` and runs inside the same transaction. This module knows no domain.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

_handlers: dict[str, list[Callable[[Session, set[int]], None]]] = {}
_KEY = "ocop_changed"


def mark(session: Session, kind: str, ids: Iterable[int | None]) -> None:
    pending: dict[str, set[int]] = session.info.setdefault(_KEY, {})
    pending.setdefault(kind, set()).update(i for i in ids if i is not None)


def on_commit(kind: str, handler: Callable[[Session, set[int]], None]) -> None:
    if handler not in _handlers.setdefault(kind, []):
        _handlers[kind].append(handler)


def flush_marks(session: Session) -> None:
    """Run the handlers for what is marked (also called by `before_commit`)."""
    while True:
        pending: dict[str, set[int]] = session.info.pop(_KEY, {})
        if not any(pending.values()):
            return
        for kind, ids in pending.items():
            for handler in _handlers.get(kind, []):
                handler(session, ids)


@event.listens_for(OrmSession, "before_commit")
def _before_commit(session: OrmSession) -> None:
    flush_marks(session)  # type: ignore[arg-type]


@event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session: OrmSession) -> None:
    session.info.pop(_KEY, None)
