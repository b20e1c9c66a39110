"""Ended sign-ins: the access tokens of a session that ended are refused at once, not when they expire.

An access token names its sign-in in the claim `sid` (its refresh-token family). Logout and the reuse of an old
refresh token end the family: `revoke` lists it in `revoked_session` for as long as one of its access tokens could
still be valid (rows older than that are pruned), and `is_revoked` is the check of every authenticated request,
one primary-key lookup. The hot read paths remember callers for a few seconds in process memory
(auth.service.cached_caller); `forget_session` and `forget_user` tell this process's memory at once, and every other
process's memory forgets within those few seconds. Everything is behind these functions, so that the list (and the
local invalidation) can move to a store shared by the hosts (Redis) without touching the callers.
"""
from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from ocop.core.config import get_settings
from ocop.core.db import utcnow

from .models import RevokedSession

# how long this process remembers what it ended locally: longer than any cached caller lives
LOCAL_MEMORY_SECONDS = 120.0
_lock = threading.Lock()
_ended_sessions: dict[str, float] = {}  # sid → monotonic time it ended here
_changed_users: dict[int, float] = {}  # user id → monotonic time its sessions ended here (deactivated, new password)


def is_revoked(session: Session, sid: str) -> bool:
    """Whether the sign-in `sid` has ended (one primary-key lookup)."""
    return session.execute(sa.select(col(RevokedSession.sid)).where(col(RevokedSession.sid) == sid)).first() is not None


def revoke(session: Session, sid: str, user_id: int) -> None:
    """List the sign-in as ended, in the caller's transaction; call `forget_session` after the commit."""
    now = utcnow()
    until = now + timedelta(minutes=get_settings().access_token_minutes, seconds=60)
    values: dict[str, Any] = {"sid": sid, "user_id": user_id, "revoked_at": now, "expires_at": until}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert if dialect == "sqlite" else None
    if insert is not None:
        session.execute(insert(RevokedSession).values(**values).on_conflict_do_nothing())
    elif session.get(RevokedSession, sid) is None:
        session.add(RevokedSession(**values))
    session.execute(sa.delete(RevokedSession).where(col(RevokedSession.expires_at) < now))


def _prune(memory: dict[Any, float], now: float) -> None:
    if len(memory) > 1000:
        for key in [k for k, at in memory.items() if now - at > LOCAL_MEMORY_SECONDS]:
            memory.pop(key, None)


def forget_session(sid: str) -> None:
    """This process stops trusting what it remembers of the sign-in `sid` (after `revoke` committed)."""
    now = time.monotonic()
    with _lock:
        _ended_sessions[sid] = now
        _prune(_ended_sessions, now)


def forget_user(user_id: int) -> None:
    """This process stops trusting what it remembers of the user's callers (deactivated, password set)."""
    now = time.monotonic()
    with _lock:
        _changed_users[user_id] = now
        _prune(_changed_users, now)


def remembered_still_good(sid: str | None, user_id: int | None, since: float) -> bool:
    """Whether a caller this process resolved at monotonic time `since` (from the database) may still be used."""
    if sid is not None and sid in _ended_sessions:
        return False
    return user_id is None or _changed_users.get(user_id, float("-inf")) < since
