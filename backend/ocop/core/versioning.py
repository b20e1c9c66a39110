"""Optimistic concurrency: `version` columns, ETags and `If-Match`."""
from __future__ import annotations

import hashlib
from typing import Any

from fastapi import Response

from .db import utcnow
from .errors import PreconditionFailed, PreconditionRequired


def etag(version: int) -> str:
    return f'"{version}"'


def content_etag(body: bytes) -> str:
    """An ETag for a read-only representation: a digest of its bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(tag: str, if_none_match: str | None) -> bool:
    """True when If-None-Match names this ETag (weak or strong): the answer is 304."""
    return bool(if_none_match) and tag in {t.strip().removeprefix("W/") for t in (if_none_match or "").split(",")}


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def check_if_match(if_match: str | None, current_version: int) -> None:
    """428 without If-Match, 412 when it names another version than the stored one."""
    if not if_match:
        raise PreconditionRequired(
            "This update needs an If-Match header with the ETag you last read.", code="precondition_required"
        )
    wanted = {t.strip().removeprefix("W/").strip('"') for t in if_match.split(",")}
    if "*" in wanted:
        return
    if str(current_version) not in wanted:
        raise PreconditionFailed(
            "The record was changed by someone else since you read it; reload it and apply your change again.",
            code="stale_version", current_version=current_version,
        )


def apply_changes(obj: Any, changes: dict[str, Any]) -> None:
    """Set the changed fields of a versioned record and move it to its next version."""
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.version += 1
    obj.updated_at = utcnow()
